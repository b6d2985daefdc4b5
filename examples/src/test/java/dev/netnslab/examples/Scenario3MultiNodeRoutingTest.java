package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.junit.Netns;
import dev.netnslab.junit.NetnsLab;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Part 3 of the series: two nodes, each with a bridge and a container, joined by an underlay. The
 * containers reach each other because each node routes the other's container subnet via the
 * other's underlay address and forwards packets. {@link ForwardingOff} turns forwarding off on
 * the nodes and expects the containers to lose each other.
 *
 * <p>The lab is {@link TwoNodes}, shared with {@link SharedTwoNodesTest}: built once for both.
 */
@Tag("kernel")
@DisplayName("Scenario 3: containers on two nodes, routed through the nodes")
@NetnsLab(topology = TwoNodes.class, shared = true)
class Scenario3MultiNodeRoutingTest {

    @Test
    @DisplayName("containers on different nodes ping each other")
    void containersReachEachOther(@Netns("c1") Namespace c1, @Netns("c2") Namespace c2) {
        assertThat(c1).canPing("172.16.1.2");
        assertThat(c2).canPing("172.16.0.2");
    }

    @Test
    @DisplayName("the path from c1 to c2 leaves through node1's bridge")
    void pathGoesThroughTheNode(@Netns("c1") Namespace c1) {
        assertThat(c1).hasRoute("default");
        assertThat(c1.exec("ip", "route", "get", "172.16.1.2").stdout()).contains("via 172.16.0.1 dev eth0");
    }

    @Test
    @DisplayName("each node routes the other's container subnet via the underlay and forwards")
    void nodesRouteAndForward(@Netns("node1") Namespace node1, @Netns("node2") Namespace node2) {
        assertThat(node1).hasRoute("172.16.1.0/24").hasAddress("10.0.0.10/24").canPing("10.0.0.20");
        assertThat(node1.exec("ip", "route", "show", "172.16.1.0/24").stdout()).contains("via 10.0.0.20 dev eth0");
        assertThat(node2).hasRoute("172.16.0.0/24");
        assertThat(node1.exec("sysctl", "-n", "net.ipv4.ip_forward").stdout().strip())
                .isEqualTo("1");
    }

    @Test
    @DisplayName("a container reaches the other node's bridge, and the nodes' underlay is not a container subnet")
    void containerReachesOtherBridge(Lab lab, @Netns("c1") Namespace c1) {
        assertThat(c1).canPing("172.16.1.1").canPing("10.0.0.20");
        assertThat(lab.host()).hasNoAddress("10.0.0.10").hasInterface("underlay");
    }

    @Test
    @DisplayName("the shared lab was built once, however many classes use it")
    void builtOnce(Lab lab) {
        assertThat(TwoNodes.builds()).isEqualTo(1);
        assertThat(lab.namespaces()).extracting(Namespace::name).containsExactly("node1", "node2", "c1", "c2");
    }

    /** {@link TwoNodes} with IPv4 forwarding off on both nodes. */
    static class NoForwarding implements LabTopology {
        @Override
        public LabSpec define() {
            return TwoNodes.builder()
                    .ipForward("node1", false)
                    .ipForward("node2", false)
                    .build();
        }
    }

    @Nested
    @DisplayName("with forwarding off on the nodes")
    class ForwardingOff {

        @Test
        @NetnsLab(topology = NoForwarding.class)
        @DisplayName("containers no longer reach each other, though each still reaches its own node")
        void containersAreCutOff(
                @Netns("c1") Namespace c1, @Netns("c2") Namespace c2, @Netns("node1") Namespace node1) {
            assertThat(node1.exec("sysctl", "-n", "net.ipv4.ip_forward")
                            .stdout()
                            .strip())
                    .isEqualTo("0");
            assertThat(c1).canPing("172.16.0.1");
            assertThat(c1).cannotPing("172.16.1.2");
            assertThat(c2).cannotPing("172.16.0.2");
            assertThatThrownBy(() -> assertThat(c1).canPing("172.16.1.2"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to reach <172.16.1.2>")
                    .hasMessageContaining("c1 -> node1 (via eth0): forwarding is off in node1");
        }
    }
}
