package dev.netnslab.assertj;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static dev.netnslab.testing.Listeners.awaitListening;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.internal.backend.local.LocalBackend;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("kernel")
@DisplayName("NamespaceAssert on the real kernel")
class NamespaceAssertTest {

    private static Lab lab;
    private static Namespace ns;

    @BeforeAll
    static void startLab() {
        lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), LocalBackend.probe("ip"));
        ns = lab.namespace("netns1");
    }

    @AfterAll
    static void closeLab() {
        lab.close();
    }

    @Nested
    @DisplayName("canPing / cannotPing")
    class Ping {

        @Test
        void passesOnAWorkingLink() {
            assertThat(lab.host()).canPing("10.200.1.1");
            assertThat(ns).canPing("10.200.1.254").cannotPing("10.200.1.99");
        }

        @Test
        void failureIsADiagnosisAndBounded() {
            // The build may raise the ping budget for loaded machines; the check stops at whatever it is.
            Duration budget = Settings.fromSystem().get(Setting.PING_TIMEOUT);
            assertThatThrownBy(() -> assertThat(ns).canPing("10.200.1.99"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting namespace <netns1> to reach <10.200.1.99> but ping failed")
                    .hasMessageContaining("within " + budget.toMillis() + " ms")
                    // On the local backend as root the echo is sent in-process (netnslab.checks=auto).
                    .hasMessageContaining("in-process icmp-echo 10.200.1.99 wait=250ms")
                    .hasMessageContaining("exit code: 1")
                    .hasMessageContaining("Its addresses: [lo 127.0.0.1/8, veth2 10.200.1.1/24]")
                    .hasMessageContaining(
                            "Its routes: [default via 10.200.1.254 dev veth2, 10.200.1.0/24 dev veth2 scope link src 10.200.1.1]")
                    .hasMessageContaining("there: netns1: netns1 could not resolve 10.200.1.99 on veth2 (neighbour ")
                    .hasMessageContaining("no namespace of the lab holds 10.200.1.99");
        }

        @Test
        void cannotPingFailsWhenTheTargetAnswers() {
            assertThatThrownBy(() -> assertThat(ns).cannotPing("10.200.1.254"))
                    .hasMessageContaining(
                            "Expecting namespace <netns1> not to reach <10.200.1.254> but it got an echo reply")
                    .hasMessageContaining("Its routes:");
        }

        @Test
        void refusesHostNamesAndGarbage() {
            assertThatThrownBy(() -> assertThat(ns).canPing("example.com"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be an IPv4 or IPv6 address")
                    .hasMessageContaining("'example.com'");
            assertThatThrownBy(() -> assertThat(ns).canPing("10.200.1.1; reboot"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    @DisplayName("state")
    class State {

        @Test
        void interfaces() {
            assertThat(ns).hasInterface("veth2").hasNoInterface("veth1");
            assertThatThrownBy(() -> assertThat(ns).hasInterface("eth0"))
                    .hasMessage("Expecting namespace <netns1> to have interface <eth0> but it has only [lo, veth2]");
            assertThatThrownBy(() -> assertThat(ns).hasNoInterface("veth2"))
                    .hasMessageContaining("not to have interface <veth2>");
        }

        @Test
        void addresses() {
            assertThat(ns).hasAddress("10.200.1.1").hasAddress("10.200.1.1/24").hasNoAddress("10.200.1.254");
            assertThatThrownBy(() -> assertThat(ns).hasAddress("10.200.1.1/16"))
                    .hasMessageContaining("to have address <10.200.1.1/16> but its addresses are")
                    .hasMessageContaining("veth2 10.200.1.1/24");
        }

        @Test
        void routes() {
            assertThat(ns).hasRoute("default").hasRoute("10.200.1.0/24");
            assertThat(lab.host()).hasNoRoute("default").hasRoute("10.200.1.0/24");
            assertThatThrownBy(() -> assertThat(ns).hasRoute("10.9.0.0/16"))
                    .hasMessageContaining(
                            "to have a route to <10.9.0.0/16> but its routes are [default via 10.200.1.254 dev veth2");
            assertThatThrownBy(() -> assertThat(ns).hasNoRoute("default"))
                    .hasMessageContaining("not to have a route to <default>");
        }
    }

    @Nested
    @DisplayName("canConnect / cannotConnect")
    class Connect {

        @Test
        void connectsToAListenerAndNotToAClosedPort() {
            try (BackgroundProcess server =
                    lab.host().spawn("socat", "TCP-LISTEN:8080,bind=10.200.1.254,reuseaddr,fork", "EXEC:cat")) {
                awaitListening(lab.host(), 8080);
                assertThat(server.isAlive()).isTrue();
                assertThat(ns).canConnect("10.200.1.254", 8080).cannotConnect("10.200.1.254", 8081);
                assertThatThrownBy(() -> assertThat(ns).canConnect("10.200.1.254", 8081))
                        .hasMessageContaining(
                                "to open a TCP connection to <10.200.1.254:8081> but it could not (connection refused)")
                        .hasMessageContaining("Its routes:");
                assertThatThrownBy(() -> assertThat(ns).cannotConnect("10.200.1.254", 8080))
                        .hasMessageContaining("but the connection was accepted");
            }
        }

        @Test
        @DisplayName("with a timeout: a silent path fails within it, and the same check passes once the path is back")
        void withATimeout() {
            try (BackgroundProcess server =
                    lab.host().spawn("socat", "TCP-LISTEN:8082,bind=10.200.1.254,reuseaddr,fork", "EXEC:cat")) {
                awaitListening(lab.host(), 8082);
                assertThat(ns).canConnect("10.200.1.254", 8082, Duration.ofMillis(500));
                try (dev.netnslab.Partition split = lab.partition("host", "netns1")) {
                    assertThat(ns).cannotConnect("10.200.1.254", 8082, Duration.ofMillis(300));
                    assertThatThrownBy(() -> assertThat(ns).canConnect("10.200.1.254", 8082, Duration.ofMillis(300)))
                            .hasMessageContaining("but it could not (no answer within 300 ms)");
                }
                assertThat(ns).canConnect("10.200.1.254", 8082, Duration.ofMillis(500));
                assertThatThrownBy(() -> assertThat(ns).cannotConnect("10.200.1.254", 8082, Duration.ofMillis(300)))
                        .hasMessageContaining("but the connection was accepted");
            }
            assertThatThrownBy(() -> assertThat(ns).cannotConnect("10.200.1.254", 8082, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a connect timeout is more than 0 and at most 60 s, and got PT0S;"
                            + " pass e.g. Duration.ofMillis(300)");
        }

        @Test
        void rejectsBadPorts() {
            assertThatThrownBy(() -> assertThat(ns).canConnect("10.200.1.254", 70000))
                    .hasMessage("A TCP port must be 1-65535 but was 70000");
        }
    }

    @Nested
    @DisplayName("ExecResultAssert")
    class Results {

        @Test
        void checksExitCodesAndOutput() {
            assertThat(ns.exec("true")).succeeded().hasExitCode(0);
            assertThat(ns.exec("ip", "route")).succeeded().stdoutContains("default");
            assertThat(ns.exec("ls", "/nope")).failed().stderrContains("No such file");
            ExecResult failed = ns.exec("false");
            assertThatThrownBy(() -> assertThat(failed).succeeded())
                    .hasMessageContaining("Expecting command to succeed but it exited 1")
                    .hasMessageContaining("command: ip netns exec " + ns.systemName() + " false");
            assertThatThrownBy(() -> assertThat(ns.exec("echo", "a")).stdoutContains("b"))
                    .hasMessageContaining("stdout: a");
        }
    }
}
