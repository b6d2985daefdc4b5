package dev.netnslab.internal.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.ExecResult;
import dev.netnslab.backend.BackendUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalBackendTest {

    /** This machine as {@code os} and {@code uid} see it, whose answers to sudo and ip are scripted, so every path of the probe can be walked. */
    private static Machine machine(String os, int uid, boolean sudoWorks) {
        return Machine.current().withOsName(os).withUid(uid).withProbe((argv, timeout) -> {
            if (argv.get(0).equals("sudo") && argv.contains("true")) {
                return Optional.of(
                        sudoWorks
                                ? ok(argv)
                                : new ExecResult(argv, 1, "", "sudo: a password is required\n", Duration.ZERO));
            }
            return Optional.of(ok(argv));
        });
    }

    private static ExecResult ok(List<String> argv) {
        return new ExecResult(argv, 0, "", "", Duration.ZERO);
    }

    @Test
    void refusesAKernelThatIsNotLinuxAndSaysWhatToDo() {
        assertThatThrownBy(() -> LocalBackend.probe(machine("Mac OS X", 501, true), "ip"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("needs a Linux kernel for network namespaces, but this is Mac OS X")
                .hasMessageContaining("netnslab.backend");
    }

    @Test
    void refusesANonRootUserWithoutPasswordlessSudo() {
        assertThatThrownBy(() -> LocalBackend.probe(machine("Linux", 1000, false), "ip"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("needs root")
                .hasMessageContaining("runs as uid 1000")
                .hasMessageContaining("sudo: a password is required")
                .hasMessageContaining("NOPASSWD");
    }

    @Test
    void usesSudoForANonRootUserWhoHasIt() {
        LocalBackend backend = LocalBackend.probe(machine("Linux", 1000, true), "ip");
        assertThat(backend.runner().describe()).isEqualTo("local (via sudo -n)");
    }

    @Test
    void runsDirectlyAsRoot() {
        LocalBackend backend = LocalBackend.probe(machine("Linux", 0, false), "ip");
        assertThat(backend.runner().describe()).isEqualTo("local");
        assertThat(backend.name()).isEqualTo("local");
    }

    @Test
    void saysToInstallIproute2WhenIpIsMissing() {
        // Root as far as the probe knows, so that the real attempt to run the missing ip is what fails.
        assertThatThrownBy(() ->
                        LocalBackend.probe(Machine.current().withOsName("Linux").withUid(0), "/nonexistent/ip"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("apt-get install -y iproute2")
                .hasMessageContaining("netnslab.local.ip");
    }
}
