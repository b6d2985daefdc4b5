package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.junit.Netns;
import dev.netnslab.junit.NetnsLab;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NAT egress, as every container network does it: container c1 (172.16.0.2) on node1 reaches an
 * "internet" namespace (10.0.0.100) that has no route back to the container subnet. It works only
 * because node1 masquerades: the internet sees node1's address, 10.0.0.10, never the container's.
 * nft counters in the internet namespace record which source addresses arrive.
 * {@link WithoutMasquerade} drops the rule and expects the container to be cut off.
 */
@Tag("kernel")
@DisplayName("Scenario 5: NAT egress from a container through its node")
@NetnsLab(topology = Scenario5NatEgressTest.NatEgress.class)
class Scenario5NatEgressTest {

    /** Counts, in the internet namespace, echo requests from the node and from the container subnet. */
    private static final String WATCH = "table ip watch {\n"
            + "  chain input {\n"
            + "    type filter hook input priority 0; policy accept;\n"
            + "    ip saddr 10.0.0.10 icmp type echo-request counter\n"
            + "    ip saddr 172.16.0.0/24 icmp type echo-request counter\n"
            + "  }\n"
            + "}\n";

    static LabSpec.Builder lab() {
        return LabSpec.builder()
                .node("node1", "10.0.0.10/24", "172.16.0.1/24")
                .node("internet", "10.0.0.100/24")
                .container("c1", "node1", "172.16.0.2/24")
                .nft("internet", WATCH);
    }

    static class NatEgress implements LabTopology {
        @Override
        public LabSpec define() {
            return lab().masquerade("node1", "172.16.0.0/24", "eth0").build();
        }
    }

    @Test
    @DisplayName("the container reaches the internet through its node")
    void containerReachesTheInternet(@Netns("c1") Namespace c1) {
        assertThat(c1).canPing("10.0.0.100");
    }

    @Test
    @DisplayName("the internet sees the node's address, not the container's")
    void internetSeesTheNodeAddress(@Netns("c1") Namespace c1, @Netns("internet") Namespace internet) {
        assertThat(c1).canPing("10.0.0.100");
        long fromNode = echoRequestsFrom(internet, "10.0.0.10");
        long fromContainers = echoRequestsFrom(internet, "172.16.0.0/24");

        assertThat(c1.exec("ping", "-c", "3", "-i", "0.01", "-W", "1", "10.0.0.100")
                        .isSuccess())
                .isTrue();

        assertThat(echoRequestsFrom(internet, "10.0.0.10") - fromNode).isGreaterThanOrEqualTo(3);
        assertThat(echoRequestsFrom(internet, "172.16.0.0/24") - fromContainers).isZero();
    }

    @Test
    @DisplayName("node1 masquerades the container subnet, and the internet has no route back to it")
    void natRuleAndNoReturnRoute(@Netns("node1") Namespace node1, @Netns("internet") Namespace internet) {
        assertThat(node1.exec("iptables", "-w", "-t", "nat", "-S", "POSTROUTING")
                        .stdout())
                .contains("-A POSTROUTING -s 172.16.0.0/24 -o eth0 -j MASQUERADE");
        assertThat(internet).hasNoRoute("172.16.0.0/24").hasNoRoute("default");
    }

    /** The packets counted by the watch rule for {@code source} in the internet namespace. */
    static long echoRequestsFrom(Namespace internet, String source) {
        String table = internet.exec("nft", "list", "table", "ip", "watch").stdout();
        Matcher matcher = Pattern.compile("ip saddr " + Pattern.quote(source) + " .*counter packets (\\d+)")
                .matcher(table);
        assertThat(matcher.find())
                .as("a watch counter for %s in:%n%s", source, table)
                .isTrue();
        return Long.parseLong(matcher.group(1));
    }

    static class NoMasquerade implements LabTopology {
        @Override
        public LabSpec define() {
            return lab().build();
        }
    }

    @Nested
    @DisplayName("without the MASQUERADE rule")
    class WithoutMasquerade {

        @Test
        @NetnsLab(topology = NoMasquerade.class)
        @DisplayName("the internet sees the container's private address and cannot answer")
        void containerIsCutOff(@Netns("c1") Namespace c1, @Netns("internet") Namespace internet) {
            assertThat(c1).cannotPing("10.0.0.100");
            // The request may still wait for ARP on node1 when the ping gives up, so give it a moment to arrive.
            await("an echo request from 172.16.0.0/24 counted in the internet namespace")
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> echoRequestsFrom(internet, "172.16.0.0/24") > 0);
            assertThat(echoRequestsFrom(internet, "10.0.0.10")).isZero();
            assertThatThrownBy(() -> assertThat(c1).canPing("10.0.0.100"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to reach <10.0.0.100>");
        }
    }
}
