package dev.netnslab.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RemoteScript: what the persistent remote shell is fed")
class RemoteScriptTest {

    private static final Command IP = Command.of(Duration.ofSeconds(5), List.of("ip", "-n", "ns1", "addr"));

    @Test
    @DisplayName("a non-root login runs every command with sudo -n")
    void nonRootGetsSudo() {
        assertThat(RemoteScript.prefixFor(1000)).containsExactly("sudo", "-n");
        RemoteScript script = new RemoteScript("NLX1", RemoteScript.prefixFor(1000));
        assertThat(script.argv(IP)).containsExactly("sudo", "-n", "ip", "-n", "ns1", "addr");
        assertThat(script.foreground(IP)).contains("( exec sudo -n ip -n ns1 addr ) </dev/null");
        assertThat(script.background(IP)).contains("( exec sudo -n ip -n ns1 addr ) </dev/null >/dev/null 2>&1 &");
    }

    @Test
    @DisplayName("the serving shell's working folder goes where it is told: TMPDIR over SSH, a given folder rootless")
    void workingFolder() {
        assertThat(RemoteScript.startup("NLX1")).contains("mktemp -d \"${TMPDIR:-/tmp}/netnslab.XXXXXXXX\"");
        assertThat(RemoteScript.startup("NLX1", "/run")).contains("mktemp -d \"/run/netnslab.XXXXXXXX\"");
    }

    @Test
    @DisplayName("root runs commands as they are")
    void rootGetsNoPrefix() {
        assertThat(RemoteScript.prefixFor(0)).isEmpty();
        RemoteScript script = new RemoteScript("NLX1", RemoteScript.prefixFor(0));
        assertThat(script.argv(IP)).containsExactly("ip", "-n", "ns1", "addr");
        assertThat(script.foreground(IP)).contains("( exec ip -n ns1 addr ) </dev/null");
    }

    @Test
    @DisplayName("arguments are quoted by ShellQuote, stdin goes through a file")
    void argumentsAndStdin() {
        RemoteScript script = new RemoteScript("NLX1", List.of());
        String text = script.foreground(Command.of(Duration.ofSeconds(5), List.of("sh", "-c", "echo $(id)"))
                .withStdin("a'b\0c"));
        assertThat(text)
                .contains("( exec sh -c 'echo $(id)' ) <\"$D/i\"")
                .contains("{ printf %s 'a'\\''b'; printf '\\000'; printf %s c; : ; } >\"$D/i\"");
    }

    @Test
    void theTagMustBePlain() {
        assertThatThrownBy(() -> new RemoteScript("NL X", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("letters and digits");
    }
}
