package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExecSpecTest {

    @Test
    @DisplayName("a plain spec is the argv itself")
    void plainArgv() {
        ExecSpec spec = ExecSpec.of("ip", "addr");
        assertThat(spec.commandLine()).containsExactly("ip", "addr");
        assertThat(spec.stdin()).isEmpty();
        assertThat(spec.timeout()).isEmpty();
    }

    @Test
    @DisplayName("variables and the directory go through env, as arguments, never through a shell")
    void environmentAndDirectoryThroughEnv() {
        ExecSpec spec = ExecSpec.of("/usr/lib/cni/bridge")
                .withEnv("CNI_COMMAND", "ADD")
                .withEnv("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=$(reboot)")
                .withWorkingDirectory("/tmp")
                .withStdin("{}")
                .withTimeout(Duration.ofSeconds(5));

        assertThat(spec.commandLine())
                .containsExactly(
                        "env",
                        "-C",
                        "/tmp",
                        "--",
                        "CNI_COMMAND=ADD",
                        "CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAME=$(reboot)",
                        "/usr/lib/cni/bridge");
        assertThat(spec.environment())
                .containsExactly(
                        Map.entry("CNI_COMMAND", "ADD"),
                        Map.entry("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=$(reboot)"));
        assertThat(spec.stdin()).contains("{}");
        assertThat(spec.timeout()).contains(Duration.ofSeconds(5));
        assertThat(spec.withEnv("CNI_COMMAND", "DEL").environment())
                .containsEntry("CNI_COMMAND", "DEL")
                .hasSize(2);
    }

    @Test
    @DisplayName("is immutable: each with... returns a new spec")
    void immutable() {
        ExecSpec plain = ExecSpec.of("true");
        plain.withEnv("A", "1").withWorkingDirectory("/");
        assertThat(plain.commandLine()).containsExactly("true");
        assertThat(ExecSpec.of(List.of("env")).withEnv(Map.of("A", "1")).commandLine())
                .containsExactly("env", "--", "A=1", "env");
    }

    @Test
    @DisplayName("refuses what cannot be passed safely, saying what was given and what to do")
    void refusals() {
        assertThatThrownBy(() -> ExecSpec.of()).hasMessageContaining("argv must name at least the program");
        assertThatThrownBy(() -> ExecSpec.of("a\0b")).hasMessageContaining("NUL byte");
        assertThatThrownBy(() -> ExecSpec.of("true").withEnv("1BAD", "x"))
                .hasMessageContaining("[A-Za-z_][A-Za-z0-9_]*")
                .hasMessageContaining("'1BAD'");
        assertThatThrownBy(() -> ExecSpec.of("true").withEnv("A=B", "x")).hasMessageContaining("'A=B'");
        assertThatThrownBy(() -> ExecSpec.of("true").withEnv("A", null)).hasMessageContaining("null");
        assertThatThrownBy(() -> ExecSpec.of("true").withWorkingDirectory("tmp"))
                .hasMessageContaining("absolute path")
                .hasMessageContaining("'tmp'");
        assertThatThrownBy(() -> ExecSpec.of("X=1").withEnv("A", "1")).hasMessageContaining("must not contain '='");
        assertThatThrownBy(() -> ExecSpec.of("true").withTimeout(Duration.ZERO)).hasMessageContaining("positive");
    }
}
