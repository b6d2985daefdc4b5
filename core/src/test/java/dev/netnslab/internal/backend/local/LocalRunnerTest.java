package dev.netnslab.internal.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.CommandTimeoutException;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRunnerTest {

    private final LocalRunner runner = new LocalRunner();

    @Test
    void keepsStdoutAndStderrApartAndReturnsNonZeroExits() {
        ExecResult result =
                runner.run(Command.of(Duration.ofSeconds(5), List.of("sh", "-c", "echo out; echo err >&2; exit 3")));
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.isSuccess()).isFalse();
        assertThat(result.duration()).isPositive();
    }

    @Test
    void passesArgumentsLiterallyWithoutAShell(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path marker = dir.resolve("x");
        String hostile = "$(id -u); touch " + marker + " `id` *";
        ExecResult result = runner.run(Command.of(Duration.ofSeconds(5), List.of("echo", hostile)));
        assertThat(result.stdout()).isEqualTo(hostile + "\n");
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void feedsStdin() {
        ExecResult result =
                runner.run(Command.of(Duration.ofSeconds(5), List.of("cat")).withStdin("line 1\nline 2\n"));
        assertThat(result.stdout()).isEqualTo("line 1\nline 2\n");
    }

    @Test
    void killsACommandThatOutlivesItsTimeoutAndNamesIt(@TempDir Path dir) throws IOException {
        Path pidFile = dir.resolve("sleep.pid");
        // exec keeps the pid: the file names the sleep itself.
        assertThatThrownBy(() -> runner.run(Command.of(
                        Duration.ofSeconds(1), List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"))))
                .isInstanceOf(CommandTimeoutException.class)
                .hasMessageContaining("timed out after 1000 ms")
                .hasMessageContaining("sleep 30");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        // zt-exec sends the signal and returns; the process ends a moment later.
        await("the timed-out sleep (pid " + pid + ") to end")
                .atMost(Duration.ofSeconds(10))
                .until(() ->
                        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty());
    }

    @Test
    void saysWhatIsMissingWhenTheProgramDoesNotExist() {
        assertThatThrownBy(() -> runner.run(Command.of(Duration.ofSeconds(5), List.of("no-such-program-netnslab"))))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("Could not start no-such-program-netnslab")
                .hasMessageContaining("installed and on the PATH");
    }

    @Test
    void backgroundProcessesStopOnClose() {
        BackgroundProcess process = runner.start(Command.of(Duration.ofSeconds(1), List.of("sleep", "30")));
        assertThat(process.isAlive()).isTrue();
        process.close();
        assertThat(process.isAlive()).isFalse();
        process.close();
    }
}
