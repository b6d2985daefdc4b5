package dev.netnslab.internal.backend.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.CommandTimeoutException;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.ShellQuoteTest;
import dev.netnslab.testing.TestSshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@Tag("kernel")
@DisplayName("SshRunner against a real sshd on loopback")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshRunnerTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    private TestSshd sshd;
    private SshRunner runner;

    @BeforeAll
    void startServer() {
        assumeTrue(TestSshd.available(), "/usr/sbin/sshd is not installed (apt-get install -y openssh-server)");
        sshd = TestSshd.start();
        runner = SshRunner.connect(sshd.target());
    }

    @AfterAll
    void stopServer() {
        if (runner != null) {
            runner.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    private ExecResult run(String... argv) {
        return runner.run(Command.of(TEN_SECONDS, List.of(argv)));
    }

    /** The test's sshd runs on this machine, so its processes show in our /proc. */
    private static boolean running(String pid) throws IOException {
        Path stat = Path.of("/proc", pid, "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String state = Files.readString(stat);
        state = state.substring(state.lastIndexOf(')') + 2);
        return !state.startsWith("Z") && !state.startsWith("X");
    }

    /** Whether a process below the test's sshd runs exactly {@code commandLine}. */
    private boolean serverRuns(String commandLine) {
        return ProcessHandle.of(sshd.pid()).stream()
                .flatMap(ProcessHandle::descendants)
                .anyMatch(p -> p.info()
                        .commandLine()
                        .filter(c -> c.endsWith(commandLine))
                        .isPresent());
    }

    @Nested
    @DisplayName("runs argv faithfully")
    class Faithful {

        @Test
        void hostileArgumentsArriveUnchanged() {
            List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
            argv.addAll(ShellQuoteTest.HOSTILE);
            ExecResult result = runner.run(Command.of(TEN_SECONDS, argv));
            assertThat(result.isSuccess()).as(result.describe()).isTrue();
            List<String> parsed = new ArrayList<>(List.of(result.stdout().split("\0", -1)));
            parsed.remove(parsed.size() - 1);
            assertThat(parsed).containsExactlyElementsOf(ShellQuoteTest.HOSTILE);
            assertThat(Path.of("/tmp/netnslab-pwned")).doesNotExist();
        }

        @Test
        void stdoutStderrAndExitCodeStayApart() {
            ExecResult result = run("sh", "-c", "echo out; echo err >&2; exit 3");
            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.stdout()).isEqualTo("out\n");
            assertThat(result.stderr()).isEqualTo("err\n");
            assertThat(result.command()).containsExactly("sh", "-c", "echo out; echo err >&2; exit 3");
        }

        @Test
        void outputThatLooksLikeTheProtocolIsJustOutput() {
            ExecResult result = run("sh", "-c", "printf 'NLX1 r 0 0 0\\nno newline at end'");
            assertThat(result.stdout()).isEqualTo("NLX1 r 0 0 0\nno newline at end");
            assertThat(run("echo", "next").stdout()).isEqualTo("next\n");
        }

        @Test
        void stdinArrivesByteForByte() {
            String input = "line 1\n'quoted' $(not run) `nor this`\n\0after a NUL\0\0é中🙂" + "x".repeat(300_000);
            ExecResult result =
                    runner.run(Command.of(TEN_SECONDS, List.of("cat")).withStdin(input));
            assertThat(result.stdout()).isEqualTo(input);
        }

        @Test
        @DisplayName("commands keep the login's umask: the server's own, which the serving shell does not change")
        void commandsKeepTheLoginsUmask() {
            assertThat(run("sh", "-c", "umask").stdout()).isEqualTo(sshd.umask() + "\n");
        }

        @Test
        void noStdinMeansEndOfFile() {
            assertThat(run("cat").stdout()).isEmpty();
        }

        @Test
        void builtinsAreNotRunByTheServingShell() {
            assertThatThrownBy(() -> run("exit", "3"))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("exit")
                    .hasMessageContaining("not found");
            assertThat(run("echo", "still serving").stdout()).isEqualTo("still serving\n");
        }

        @Test
        void aMissingProgramIsReportedLikeLocally() {
            assertThatThrownBy(() -> run("no-such-program-netnslab", "x"))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("no-such-program-netnslab")
                    .hasMessageContaining("installed");
        }

        @Test
        void commandsRunInParallel() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    String word = "w" + i;
                    results.add(pool.submit(
                            () -> run("sh", "-c", "sleep 0.05; echo " + word).stdout()));
                }
                for (int i = 0; i < results.size(); i++) {
                    assertThat(results.get(i).get()).isEqualTo("w" + i + "\n");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("bounds every wait")
    class Timeouts {

        @Test
        void aHangingCommandTimesOutWithAMessageNamingIt() {
            assertThatThrownBy(() -> runner.run(Command.of(Duration.ofSeconds(1), List.of("sleep", "30"))))
                    .isInstanceOf(CommandTimeoutException.class)
                    .hasMessageContaining("sleep 30")
                    .hasMessageContaining("1000 ms")
                    .hasMessageContaining("ssh root@127.0.0.1");
            assertThat(run("echo", "after").stdout()).isEqualTo("after\n");
        }

        @Test
        @DisplayName("the timed-out process is stopped before the timeout is reported")
        void theTimedOutProcessIsGone() throws Exception {
            Path pidFile = sshd.dir().resolve("timed-out.pid");
            // exec keeps the pid: the file names the sleep itself.
            assertThatThrownBy(() -> runner.run(Command.of(
                            Duration.ofSeconds(2), List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60"))))
                    .isInstanceOf(CommandTimeoutException.class);
            String pid = Files.readString(pidFile).strip();
            assertThat(pid).isNotBlank();
            assertThat(running(pid))
                    .as("process %s, 'sleep 60', after its timeout", pid)
                    .isFalse();
        }
    }

    @Nested
    @DisplayName("background processes")
    class Background {

        @Test
        void startedProcessRunsUntilClosed() {
            BackgroundProcess process = runner.start(Command.of(TEN_SECONDS, List.of("sleep", "60")));
            assertThat(process.isAlive()).isTrue();
            process.close();
            assertThat(process.isAlive()).isFalse();
        }

        @Test
        void waitForSeesAnExit() {
            BackgroundProcess process = runner.start(Command.of(TEN_SECONDS, List.of("sleep", "0.3")));
            assertThat(process.waitFor(Duration.ofSeconds(5))).isTrue();
            assertThat(process.isAlive()).isFalse();
        }

        @Test
        void closingTheRunnerStopsWhatItStarted() throws Exception {
            Path pidFile = sshd.dir().resolve("background.pid");
            try (SshRunner other = SshRunner.connect(sshd.target())) {
                other.start(Command.of(TEN_SECONDS, List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60")));
                await("the background process to write " + pidFile)
                        .atMost(TEN_SECONDS)
                        .until(() -> Files.exists(pidFile)
                                && !Files.readString(pidFile).isBlank());
                assertThat(running(Files.readString(pidFile).strip())).isTrue();
            }
            assertThat(running(Files.readString(pidFile).strip())).isFalse();
        }

        @Test
        void waitForGivesUpAtItsTimeout() {
            try (BackgroundProcess process = runner.start(Command.of(TEN_SECONDS, List.of("sleep", "60")))) {
                assertThat(process.waitFor(Duration.ofMillis(300))).isFalse();
            }
        }
    }

    @Test
    @DisplayName("a connection killed mid-suite recovers on the next command")
    void reconnectsAfterTheConnectionDrops() {
        assertThat(run("echo", "before").stdout()).isEqualTo("before\n");
        assertThat(sshd.killConnections()).isGreaterThan(0);
        assertThat(run("echo", "after").stdout()).isEqualTo("after\n");
        assertThat(run("echo", "and on").stdout()).isEqualTo("and on\n");
    }

    @Test
    @DisplayName("a command whose connection dies under it is reported as lost, and the next one runs")
    void aCommandCutOffIsReportedAsLost() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ExecResult> running = pool.submit(() -> run("sleep", "5"));
            await("the server to run 'sleep 5'").atMost(TEN_SECONDS).until(() -> serverRuns("sleep 5"));
            assertThat(sshd.killConnections()).isGreaterThan(0);
            assertThatThrownBy(running::get)
                    .hasCauseInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("Lost the connection to ssh root@127.0.0.1")
                    .hasMessageContaining("sleep 5")
                    .hasMessageContaining("may or may not have completed");
            assertThat(run("echo", "after").stdout()).isEqualTo("after\n");
        } finally {
            pool.shutdownNow();
        }
    }

    @Nested
    @DisplayName("verifies the host key")
    class HostKeys {

        @Test
        void aWrongKnownHostsEntryIsRefused() throws Exception {
            Path wrong = sshd.dir().resolve("wrong_known_hosts");
            Path otherKey = sshd.dir().resolve("other_host_key");
            TestSshd.keygen(otherKey);
            String other = Files.readString(otherKey.resolveSibling("other_host_key.pub"))
                    .split(" ")[1];
            Files.writeString(wrong, "[127.0.0.1]:" + sshd.port() + " ssh-ed25519 " + other + "\n");
            SshTarget target = SshTarget.of("127.0.0.1", sshd.port(), "root", sshd.identity(), wrong);
            assertThatThrownBy(() -> SshRunner.connect(target))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("host key")
                    .hasMessageContaining("does not match")
                    .hasMessageContaining("ssh-keygen -R")
                    .hasMessageContaining("ssh-keyscan -p " + sshd.port() + " 127.0.0.1 >> " + wrong);
        }

        @Test
        void anUnknownHostIsRefused() throws Exception {
            Path empty = Files.writeString(sshd.dir().resolve("empty_known_hosts"), "");
            SshTarget target = SshTarget.of("127.0.0.1", sshd.port(), "root", sshd.identity(), empty);
            assertThatThrownBy(() -> SshRunner.connect(target))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("host key is not listed")
                    .hasMessageContaining("ssh-keyscan");
        }

        @Test
        void theRightKeyIsAccepted() {
            try (SshRunner other = SshRunner.connect(sshd.target())) {
                assertThat(other.run(Command.of(TEN_SECONDS, List.of("id", "-u")))
                                .stdout())
                        .isEqualTo("0\n");
            }
        }

        @Test
        void anEncryptedKeySaysWhatIsNeeded() throws Exception {
            Path locked = sshd.dir().resolve("locked");
            Process keygen = new ProcessBuilder(
                            "ssh-keygen", "-q", "-t", "ed25519", "-N", "secret phrase", "-f", locked.toString())
                    .redirectErrorStream(true)
                    .start();
            assertThat(keygen.waitFor()).isZero();
            SshTarget target = SshTarget.of("127.0.0.1", sshd.port(), "root", locked, sshd.knownHosts());
            assertThatThrownBy(() -> SshRunner.connect(target))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining(locked.toString())
                    .hasMessageContaining("unencrypted")
                    .hasMessageNotContaining("secret phrase");
        }

        @Test
        @DisplayName("hashed known_hosts entries (HashKnownHosts yes, Debian's default) work")
        void hashedKnownHosts() throws Exception {
            Path hashed = sshd.dir().resolve("hashed_known_hosts");
            Files.copy(sshd.knownHosts(), hashed);
            Process hash = new ProcessBuilder("ssh-keygen", "-H", "-f", hashed.toString())
                    .redirectErrorStream(true)
                    .start();
            hash.getInputStream().readAllBytes();
            assertThat(hash.waitFor()).isZero();
            assertThat(Files.readString(hashed)).startsWith("|1|").doesNotContain("127.0.0.1");
            SshTarget target = SshTarget.of("127.0.0.1", sshd.port(), "root", sshd.identity(), hashed);
            try (SshRunner other = SshRunner.connect(target)) {
                assertThat(other.run(Command.of(TEN_SECONDS, List.of("echo", "ok")))
                                .stdout())
                        .isEqualTo("ok\n");
            }
        }

        @Test
        @DisplayName("a server with several host keys is accepted by the one known_hosts lists")
        void serverWithSeveralHostKeys() {
            try (TestSshd both = TestSshd.start(true);
                    SshRunner other = SshRunner.connect(both.target())) {
                assertThat(other.run(Command.of(TEN_SECONDS, List.of("echo", "ok")))
                                .stdout())
                        .isEqualTo("ok\n");
            }
        }

        @Test
        void aRefusedKeySaysWhichKeyAndUser() throws Exception {
            Path stranger = sshd.dir().resolve("stranger");
            TestSshd.keygen(stranger);
            SshTarget target = SshTarget.of("127.0.0.1", sshd.port(), "root", stranger, sshd.knownHosts());
            assertThatThrownBy(() -> SshRunner.connect(target))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("refused the key " + stranger)
                    .hasMessageContaining("authorized_keys");
        }
    }
}
