package dev.netnslab.internal.backend.local;

import dev.netnslab.backend.BackendUnavailableException;

import dev.netnslab.ExecResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalBackendTest {

    /** A machine whose answers to sudo and ip are scripted, so every path of the probe can be walked. */
    private static LocalBackend.Machine machine(String os, int uid, boolean sudoWorks) {
        return new LocalBackend.Machine(os, uid, "ip") {
            @Override
            ExecResult tryRun(List<String> argv) {
                if (argv.get(0).equals("sudo") && argv.contains("true")) {
                    return sudoWorks ? ok(argv) : new ExecResult(argv, 1, "", "sudo: a password is required\n", Duration.ZERO);
                }
                return ok(argv);
            }
        };
    }

    private static ExecResult ok(List<String> argv) {
        return new ExecResult(argv, 0, "", "", Duration.ZERO);
    }

    @Test
    void refusesAKernelThatIsNotLinuxAndSaysWhatToDo() {
        assertThatThrownBy(() -> LocalBackend.probe(machine("Mac OS X", 501, true)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("needs a Linux kernel for network namespaces, but this is Mac OS X")
                .hasMessageContaining("netnslab.backend");
    }

    @Test
    void refusesANonRootUserWithoutPasswordlessSudo() {
        assertThatThrownBy(() -> LocalBackend.probe(machine("Linux", 1000, false)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("needs root")
                .hasMessageContaining("runs as uid 1000")
                .hasMessageContaining("sudo: a password is required")
                .hasMessageContaining("NOPASSWD");
    }

    @Test
    void usesSudoForANonRootUserWhoHasIt() {
        LocalBackend backend = LocalBackend.probe(machine("Linux", 1000, true));
        assertThat(backend.runner().describe()).isEqualTo("local (via sudo -n)");
    }

    @Test
    void runsDirectlyAsRoot() {
        LocalBackend backend = LocalBackend.probe(machine("Linux", 0, false));
        assertThat(backend.runner().describe()).isEqualTo("local");
        assertThat(backend.name()).isEqualTo("local");
    }

    @Test
    void saysToInstallIproute2WhenIpIsMissing() {
        // Root as far as the probe knows, so that the real attempt to run the missing ip is what fails.
        assertThatThrownBy(() -> LocalBackend.probe(new LocalBackend.Machine("Linux", 0, "/nonexistent/ip")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("apt-get install -y iproute2")
                .hasMessageContaining("netnslab.local.ip");
    }
}
