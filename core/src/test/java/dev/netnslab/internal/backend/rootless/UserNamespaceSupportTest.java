package dev.netnslab.internal.backend.rootless;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("UserNamespaceSupport: what keeps an ordinary user from user namespaces, and how to allow them")
class UserNamespaceSupportTest {

    @Test
    @DisplayName("an older Debian kernel with unprivileged_userns_clone=0")
    void debian() {
        UserNamespaceSupport debian =
                new UserNamespaceSupport(Optional.of("0"), Optional.of("15000"), Optional.empty());
        assertThat(debian.blockers())
                .containsExactly(
                        "kernel.unprivileged_userns_clone is 0 (older Debian kernels): sudo sysctl -w kernel.unprivileged_userns_clone=1");
        assertThat(debian.howToEnable()).startsWith("This machine forbids them: kernel.unprivileged_userns_clone is 0");
    }

    @Test
    @DisplayName("Ubuntu 24.04, where AppArmor restricts them")
    void ubuntu() {
        UserNamespaceSupport ubuntu =
                new UserNamespaceSupport(Optional.empty(), Optional.of("15000"), Optional.of("1"));
        assertThat(ubuntu.blockers())
                .singleElement()
                .asString()
                .contains("kernel.apparmor_restrict_unprivileged_userns is 1")
                .contains("sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0")
                .contains("AppArmor profile");
    }

    @Test
    @DisplayName("user.max_user_namespaces=0")
    void noNamespacesAllowed() {
        assertThat(new UserNamespaceSupport(Optional.empty(), Optional.of("0"), Optional.empty()).blockers())
                .containsExactly("user.max_user_namespaces is 0: sudo sysctl -w user.max_user_namespaces=15000");
    }

    @Test
    @DisplayName("nothing set against them: the advice still names every switch, and containers")
    void nothingFound() {
        UserNamespaceSupport open = new UserNamespaceSupport(Optional.of("1"), Optional.of("15000"), Optional.of("0"));
        assertThat(open.blockers()).isEmpty();
        assertThat(open.howToEnable())
                .doesNotContain("This machine forbids")
                .contains("kernel.unprivileged_userns_clone=1")
                .contains("kernel.apparmor_restrict_unprivileged_userns=0")
                .contains("user.max_user_namespaces")
                .contains("/etc/sysctl.d/")
                .contains("seccomp");
    }
}
