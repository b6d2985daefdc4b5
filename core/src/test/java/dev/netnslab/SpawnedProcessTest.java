package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.testing.Kernel;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Spawned servers are handed over as started; the test waits for them to be ready, and learns why they were not. */
@Tag("kernel")
@DisplayName("Namespace.spawn: pid, exit code, output and waits")
class SpawnedProcessTest {

    private static Lab lab;

    @BeforeAll
    static void start() {
        lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), Kernel.backend());
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Test
    @DisplayName("awaitListening returns once the server listens; a connect then gets through")
    void awaitListening() {
        Namespace ns = lab.namespace("netns1");
        try (BackgroundProcess server =
                ns.spawn("socat", "TCP-LISTEN:7001,bind=10.200.1.1,reuseaddr,fork", "EXEC:cat")) {
            assertThat(server.awaitListening(7001)).isSameAs(server);
            assertThat(server.pid()).isPresent();
            assertThat(server.exitCode()).isEmpty();
            assertThat(lab.host()).canConnect("10.200.1.1", 7001);
        }
    }

    @Test
    @DisplayName("its twin: a wait for a port nobody opens fails in time, with the command and that it still runs")
    void awaitListeningOnAPortNobodyOpens() {
        Namespace ns = lab.namespace("netns1");
        try (BackgroundProcess server =
                ns.spawn("socat", "TCP-LISTEN:7002,bind=10.200.1.1,reuseaddr,fork", "EXEC:cat")) {
            server.awaitListening(7002);
            assertThatThrownBy(() -> server.awaitListening(7003, Duration.ofMillis(300)))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("Process socat TCP-LISTEN:7002,bind=10.200.1.1,reuseaddr,fork EXEC:cat"
                            + " in namespace netns1 of lab " + lab.id())
                    .hasMessageContaining(
                            "did not say it listened on TCP port 7003 within 300ms; it is still running (pid "
                                    + server.pid().getAsLong() + ")")
                    .hasMessageContaining("netnslab.ready.timeout");
        }
    }

    @Test
    @DisplayName("a server that exits at once: the wait fails at once with its exit code and last output")
    void exitsAtOnce() {
        Namespace ns = lab.namespace("netns1");
        try (BackgroundProcess server =
                ns.spawn("sh", "-c", "echo starting; echo 'bad config: no such port' >&2; exit 3")) {
            assertThatThrownBy(() -> server.awaitListening(7004, Duration.ofSeconds(30)))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("exited with code 3 before it listened on TCP port 7004")
                    .hasMessageContaining("Its last output lines:\n  starting\n  bad config: no such port");
            assertThat(server.exitCode()).hasValue(3);
            assertThat(server.isAlive()).isFalse();
        }
    }

    @Test
    @DisplayName("awaitOutput waits for a line, by text or pattern; output() keeps what it printed")
    void awaitOutput() {
        Namespace ns = lab.namespace("netns1");
        try (BackgroundProcess server =
                ns.spawn("sh", "-c", "echo loading; sleep 0.2; echo 'Ready on port 6379'; sleep 60")) {
            server.awaitOutput("Ready on port").awaitOutput(Pattern.compile("port \\d+"));
            assertThat(server.output()).isEqualTo("loading\nReady on port 6379\n");
            assertThatThrownBy(() -> server.awaitOutput("never printed", Duration.ofMillis(200)))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("did not say it printed a line matching")
                    .hasMessageContaining("Its last output lines:\n  loading\n  Ready on port 6379");
        }
    }
}
