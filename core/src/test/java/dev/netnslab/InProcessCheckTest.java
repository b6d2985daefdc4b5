package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.testing.Kernel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * canPing, cannotPing and canConnect run in this JVM on the local backend as root: an ICMP echo or
 * a TCP connect from a thread inside the namespace, with the same deadlines and messages as the
 * process path.
 */
@Tag("kernel")
@DisplayName("Checks in this JVM, on the namespace's thread")
class InProcessCheckTest {

    private static Lab lab;
    private static Namespace ns;

    @BeforeAll
    static void start() {
        lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), Kernel.backend());
        ns = lab.namespace("netns1");
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Test
    @DisplayName("canPing passes both ways across the veth, from the namespaces' own threads")
    void canPingInProcess() {
        for (int i = 0; i < 20; i++) {
            assertThat(lab.host()).canPing("10.200.1.1");
            assertThat(ns).canPing("10.200.1.254");
        }
    }

    @Test
    @DisplayName("twin: with the link down, canPing fails within its deadline and names the in-process probe")
    void canPingFailsWhenLinkDown() {
        Link link = lab.link("netns1", "veth2");
        link.down();
        try {
            // The build may raise the budget for loaded machines; the bound is whatever it is.
            long budget = Settings.fromSystem().get(Setting.PING_TIMEOUT).toMillis();
            // It retries until the budget runs out ("times", not "time": more than one echo was sent).
            assertThatThrownBy(() -> assertThat(lab.host()).canPing("10.200.1.1"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting namespace <host> to reach <10.200.1.1>")
                    .hasMessageContainingAll("but ping failed ", " times within " + budget + " ms")
                    .hasMessageContaining("in-process icmp-echo 10.200.1.1")
                    .hasMessageContaining("Its routes:");
            assertThat(lab.host()).cannotPing("10.200.1.1");
        } finally {
            link.up();
        }
        assertThat(lab.host()).canPing("10.200.1.1");
    }

    @Test
    @DisplayName("an address the namespace has no route to is not reachable, and the message says why")
    void noRoute() {
        // The host sandbox has no default route, so 10.99.0.1 is unreachable from it, inside the lab.
        assertThat(lab.host()).cannotPing("10.99.0.1");
        assertThatThrownBy(() -> assertThat(lab.host()).canPing("10.99.0.1"))
                .hasMessageContaining("exit code: 2")
                .hasMessageContaining("unreachable");
        assertThat(lab.host()).cannotConnect("10.99.0.1", 80);
    }

    @Test
    @DisplayName("an echo means ICMP: with ICMP dropped in the target, cannotPing passes although TCP would answer")
    void icmpOnly() {
        ExecResult drop = ns.exec("iptables", "-w", "-I", "INPUT", "-p", "icmp", "-j", "DROP");
        assertThat(drop.isSuccess()).as(drop.describe()).isTrue();
        try {
            // isReachable's fallback, TCP port 7, would count the target's RST as "reachable" here.
            assertThat(lab.host()).cannotPing("10.200.1.1");
            assertThatThrownBy(() -> assertThat(lab.host()).canPing("10.200.1.1"))
                    .isInstanceOf(AssertionError.class);
        } finally {
            ns.exec("iptables", "-w", "-D", "INPUT", "-p", "icmp", "-j", "DROP");
        }
        assertThat(lab.host()).canPing("10.200.1.1");
    }

    @Test
    @DisplayName("canConnect reaches a server bound by call; twin: a port nobody listens on is refused")
    void canConnect() throws Exception {
        try (ServerSocket server = ns.call(() -> new ServerSocket(7010, 50, InetAddress.getByName("10.200.1.1")))) {
            assertThat(server.isBound()).isTrue();
            assertThat(lab.host()).canConnect("10.200.1.1", 7010);
            assertThat(lab.host()).cannotConnect("10.200.1.1", 7011);
            assertThatThrownBy(() -> assertThat(lab.host()).canConnect("10.200.1.1", 7011))
                    .hasMessageContaining("connection refused")
                    .hasMessageContaining("in-process tcp-connect 10.200.1.1 7011");
        }
    }

    @Test
    @DisplayName("netnslab.checks=process keeps the ping process path")
    void processPath() {
        Settings settings = Settings.of(
                key -> Optional.ofNullable(Map.of("netnslab.checks", "process").get(key)), Map.of());
        try (Lab processLab =
                Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), Kernel.backend(), settings)) {
            assertThat(processLab.host()).canPing("10.200.1.1");
            processLab.link("netns1", "veth2").down();
            assertThatThrownBy(() -> assertThat(processLab.host()).canPing("10.200.1.1"))
                    .hasMessageContaining("ping -4 -n -q -c 1");
        }
    }
}
