package dev.netnslab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.backend.Backend;
import dev.netnslab.testing.Kernel;
import dev.netnslab.testing.SecondMachine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A lab whose namespaces placed on kernel {@code remote} run on a second machine made on this one
 * (a namespace with its own sshd, see {@link SecondMachine}). Closing it closes the lab, checks that
 * nothing of the lab is left on either side, then closes the SSH connection and the machine.
 */
final class SecondMachineLab implements AutoCloseable {

    private final SecondMachine machine;
    private final Backend remote;
    private Lab lab;
    private List<String> systemNames = List.of();

    private SecondMachineLab(SecondMachine machine, Backend remote) {
        this.machine = machine;
        this.remote = remote;
    }

    /** Makes the second machine and starts {@code spec} over this kernel and it; skips the test without root and sshd. */
    static SecondMachineLab start(LabSpec spec) {
        Assumptions.assumeTrue(SecondMachine.available(), "making a second machine needs root and sshd");
        SecondMachine machine = SecondMachine.start();
        SecondMachineLab kernels = null;
        try {
            kernels = new SecondMachineLab(machine, Backend.open(machine.uri()));
            kernels.lab = Lab.start(spec, Map.of("remote", kernels.remote));
            kernels.systemNames =
                    kernels.lab.namespaces().stream().map(Namespace::systemName).toList();
            return kernels;
        } catch (RuntimeException e) {
            if (kernels != null) {
                kernels.close();
            } else {
                machine.close();
            }
            throw e;
        }
    }

    Lab lab() {
        return lab;
    }

    /** The second machine as a kernel, for more labs on it. */
    Backend remote() {
        return remote;
    }

    @Override
    public void close() {
        try {
            if (lab != null) {
                lab.close();
                assertThat(Kernel.namespaces()).doesNotContainAnyElementsOf(systemNames);
                assertThat(machine.links()).as("the second machine's own links").containsExactly("lo", "eth0");
            }
        } finally {
            try {
                remote.close();
            } finally {
                machine.close();
            }
        }
    }
}
