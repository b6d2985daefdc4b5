package dev.netnslab.internal.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Kernel URIs, as Backend.open and netnslab.kernels.<name> take them")
class KernelUriTest {

    @ParameterizedTest
    @ValueSource(strings = {"local", "rootless", "qemu", "multipass"})
    @DisplayName("the words name the backends")
    void words(String word) {
        assertThat(KernelUri.parse(word).kind()).isEqualTo(word);
        assertThat(KernelUri.parse(word).host()).isNull();
    }

    @Test
    @DisplayName("an ssh URI with everything")
    void sshWithEverything() {
        KernelUri uri = KernelUri.parse("ssh://root@10.0.0.2:2222?identity=/keys/id%20one&knownHosts=/keys/kh");
        assertThat(uri)
                .isEqualTo(new KernelUri(
                        "ssh",
                        Optional.of("root"),
                        "10.0.0.2",
                        Optional.of(2222),
                        Optional.of("/keys/id one"),
                        Optional.of("/keys/kh")));
    }

    @Test
    @DisplayName("an ssh URI with only a host leaves the rest to the netnslab.ssh.* settings")
    void sshHostOnly() {
        KernelUri uri = KernelUri.parse("ssh://node7.example");
        assertThat(uri.host()).isEqualTo("node7.example");
        assertThat(uri.user()).isEmpty();
        assertThat(uri.port()).isEmpty();
        assertThat(uri.identity()).isEmpty();
        assertThat(uri.knownHosts()).isEmpty();
    }

    @Test
    @DisplayName("an IPv6 host loses its brackets")
    void ipv6() {
        assertThat(KernelUri.parse("ssh://root@[fd00::2]:22").host()).isEqualTo("fd00::2");
    }

    @Test
    @DisplayName("anything else is refused, listing the forms allowed")
    void refused() {
        assertThatThrownBy(() -> KernelUri.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A kernel URI must be one of local, rootless, qemu, multipass or"
                        + " ssh://user@host:port?identity=PATH&knownHosts=PATH (user, port and the query are optional),"
                        + " but was 'docker': it is neither one of the words nor an ssh:// URI.");
        assertThatThrownBy(() -> KernelUri.parse("ssh://root@h?password=x"))
                .hasMessageEndingWith("its query has 'password'; only identity and knownHosts are allowed.");
        assertThatThrownBy(() -> KernelUri.parse("ssh://h/path")).hasMessageContaining("has no path");
        assertThatThrownBy(() -> KernelUri.parse("")).hasMessageEndingWith("it is empty.");
    }
}
