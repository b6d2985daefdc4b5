package dev.netnslab.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.CommandTimeoutException;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.backend.local.LocalRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistent-shell protocol over a local process, as the rootless backend uses it inside its
 * user namespace; here a plain {@code sh} stands in for the one {@code nsenter} starts, so no
 * privileges are needed.
 */
@DisplayName("RemoteShell over a local sh: the rootless backend's command channel")
class ShellOverProcessTest {

    @TempDir
    Path work;

    private Process sh;
    private RemoteShell shell;

    @BeforeEach
    void open() throws Exception {
        sh = new ProcessBuilder("sh").start();
        shell = RemoteShell.over(sh, work.toString(), Duration.ofSeconds(10));
    }

    @AfterEach
    void close() throws Exception {
        shell.close();
        sh.waitFor();
    }

    private ExecResult run(Command command) throws Exception {
        return shell.run(
                command,
                pid -> new LocalRunner()
                        .run(Command.of(Duration.ofSeconds(10), RemoteScript.processControl("stop", pid))),
                "a test shell");
    }

    @Test
    @DisplayName("runs argv exactly, with stdout, stderr, exit code and stdin kept apart")
    void faithful() throws Exception {
        ExecResult result = run(Command.of(Duration.ofSeconds(5), List.of("sh", "-c", "cat; echo err >&2; exit 3", "x"))
                .withStdin("a $(b) 'c'\n"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("a $(b) 'c'\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(run(Command.of(Duration.ofSeconds(5), List.of("echo", "again")))
                        .stdout())
                .isEqualTo("again\n");
    }

    @Test
    @DisplayName("keeps its working files in the folder it is given, and removes them when it ends")
    void workingFolder() throws Exception {
        run(Command.of(Duration.ofSeconds(5), List.of("true")));
        try (var files = Files.list(work)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .singleElement()
                    .asString()
                    .startsWith("netnslab.");
        }
        shell.close();
        sh.waitFor();
        try (var files = Files.list(work)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    @DisplayName("a command past its time limit is stopped and reported, and the shell goes on")
    void timeout() throws Exception {
        assertThatThrownBy(() -> run(Command.of(Duration.ofMillis(300), List.of("sleep", "30"))))
                .isInstanceOf(CommandTimeoutException.class)
                .hasMessageContaining("sleep 30");
        assertThat(shell.isUsable()).isTrue();
        assertThat(run(Command.of(Duration.ofSeconds(5), List.of("echo", "still here")))
                        .stdout())
                .isEqualTo("still here\n");
    }

    @Test
    @DisplayName("a program that does not exist is reported as such, not as exit 127")
    void missingProgram() throws Exception {
        ExecResult result = run(Command.of(Duration.ofSeconds(5), List.of("/nonexistent/tool")));
        assertThatThrownBy(() -> RemoteShell.checkStarted(result, List.of(), "a test shell"))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("Is /nonexistent/tool installed");
    }

    @Test
    @DisplayName("when its process dies, it is no longer usable")
    void deadProcess() throws Exception {
        sh.destroyForcibly().waitFor();
        assertThat(shell.isUsable()).isFalse();
    }
}
