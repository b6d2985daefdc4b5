package dev.netnslab.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTest {

    @Test
    void rejectsEmptyArgvNullsAndNulBytes() {
        assertThatThrownBy(() -> Command.of(Duration.ofSeconds(1), List.of()))
                .hasMessageContaining("argv must name at least the program");
        assertThatThrownBy(() -> Command.of(Duration.ofSeconds(1), Arrays.asList("echo", null)))
                .hasMessageContaining("argv[1] is null");
        assertThatThrownBy(() -> Command.of(Duration.ofSeconds(1), List.of("echo", "a\0b")))
                .hasMessageContaining("argv[1] 'a\\0b' contains a NUL byte");
        assertThatThrownBy(() -> Command.of(Duration.ofSeconds(1), List.of("")))
                .hasMessageContaining("argv[0] (the program) is empty");
        assertThatThrownBy(() -> Command.of(Duration.ZERO, List.of("true")))
                .hasMessageContaining("timeout must be positive");
    }

    @Test
    void rendersForHumansWithQuotes() {
        assertThat(Command.render(List.of("echo", "$(id -u); touch /tmp/x", "it's", "plain-1.2")))
                .isEqualTo("echo '$(id -u); touch /tmp/x' 'it'\\''s' plain-1.2");
    }

    @Test
    void prefixKeepsStdinAndTimeout() {
        Command c = Command.of(Duration.ofSeconds(3), List.of("ip", "-batch", "-"))
                .withStdin("x\n")
                .prefixedWith(List.of("sudo", "-n"));
        assertThat(c.argv()).containsExactly("sudo", "-n", "ip", "-batch", "-");
        assertThat(c.stdin()).isEqualTo("x\n");
        assertThat(c.timeout()).hasSeconds(3);
    }
}
