package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.NetInterface;
import dev.netnslab.junit.Netns;
import dev.netnslab.junit.NetnsLab;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Parts 4 and 5 of the series: an overlay network. Built by hand, the tunnel is often socat over
 * TUN; here it is VXLAN, the standard overlay and the kernel's own, which needs no TUN device. Containers on two nodes share the
 * subnet 172.16.0.0/24: each node's bridge has a VXLAN port that carries its frames in UDP over
 * the underlay (10.0.0.0/24). {@link WrongVni} gives the nodes different VXLAN ids and expects the
 * containers to lose each other.
 */
@Tag("kernel")
@DisplayName("Scenario 4: an overlay (VXLAN) between containers on two nodes")
@NetnsLab(topology = Scenario4OverlayTest.Overlay.class)
class Scenario4OverlayTest {

    /** Two nodes whose br0 are joined by VXLAN {@code vni}; c1 and c2 share 172.16.0.0/24. */
    static LabSpec overlay(int vniOnNode1, int vniOnNode2) {
        return LabSpec.builder()
                .node("node1", "10.0.0.10/24")
                .node("node2", "10.0.0.20/24")
                .bridge("node1", "br0")
                .bridge("node2", "br0")
                .vxlan("node1", "vxlan0", vniOnNode1, "eth0", "10.0.0.20")
                .vxlan("node2", "vxlan0", vniOnNode2, "eth0", "10.0.0.10")
                .master("node1", "vxlan0", "br0")
                .master("node2", "vxlan0", "br0")
                .container("c1", "node1", "172.16.0.2/24")
                .container("c2", "node2", "172.16.0.3/24")
                // VXLAN adds 50 bytes of headers, so the containers' frames must be that much smaller.
                .mtu("c1", "eth0", 1450)
                .mtu("c2", "eth0", 1450)
                .build();
    }

    static class Overlay implements LabTopology {
        @Override
        public LabSpec define() {
            return overlay(42, 42);
        }
    }

    @Test
    @DisplayName("containers on different nodes share one subnet and ping each other")
    void containersReachEachOther(@Netns("c1") Namespace c1, @Netns("c2") Namespace c2) {
        assertThat(c1).canPing("172.16.0.3");
        assertThat(c2).canPing("172.16.0.2");
        assertThat(c1).hasNoRoute("default");
    }

    @Test
    @DisplayName("the traffic crosses the underlay encapsulated: vxlan0 and the node's eth0 count every ping")
    void trafficIsEncapsulated(@Netns("c1") Namespace c1, @Netns("node1") Namespace node1) {
        // The first packet waits for two ARP exchanges (overlay and underlay); the count below is about the rest.
        assertThat(c1).canPing("172.16.0.3");
        NetInterface.Counters vxlanBefore = counters(node1, "vxlan0");
        NetInterface.Counters eth0Before = counters(node1, "eth0");

        int pings = 5;
        assertThat(c1.exec("ping", "-c", String.valueOf(pings), "-i", "0.01", "-W", "1", "172.16.0.3")
                        .isSuccess())
                .isTrue();

        NetInterface.Counters vxlanAfter = counters(node1, "vxlan0");
        NetInterface.Counters eth0After = counters(node1, "eth0");
        assertThat(vxlanAfter.txPackets() - vxlanBefore.txPackets()).isGreaterThanOrEqualTo(pings);
        assertThat(eth0After.txPackets() - eth0Before.txPackets()).isGreaterThanOrEqualTo(pings);
        // Each 98-byte echo leaves eth0 wrapped in 50 bytes of outer Ethernet, IP, UDP and VXLAN headers.
        assertThat(eth0After.txBytes() - eth0Before.txBytes()).isGreaterThanOrEqualTo(pings * (98L + 50));
    }

    @Test
    @DisplayName("the underlay knows nothing of the overlay subnet: the nodes cannot reach the containers")
    void underlayHasNoOverlayRoutes(@Netns("node1") Namespace node1) {
        assertThat(node1).hasNoRoute("172.16.0.0/24").canPing("10.0.0.20");
        assertThat(node1).cannotPing("172.16.0.3");
    }

    @Test
    @DisplayName("the overlay carries full 1450-byte packets without fragmenting")
    void mtuLeavesRoomForTheHeaders(@Netns("c1") Namespace c1, @Netns("node1") Namespace node1) {
        assertThat(c1.interfaces())
                .filteredOn(i -> i.name().equals("eth0"))
                .extracting(NetInterface::mtu)
                .containsExactly(1450);
        assertThat(node1.interfaces())
                .filteredOn(i -> i.name().equals("vxlan0"))
                .extracting(NetInterface::master)
                .containsExactly("br0");
        assertThat(c1).canPing("172.16.0.3");
        // 1422 bytes of data + 8 ICMP + 20 IP = 1450, sent with "don't fragment".
        assertThat(c1.exec("ping", "-c", "1", "-W", "1", "-M", "do", "-s", "1422", "172.16.0.3")
                        .isSuccess())
                .isTrue();
    }

    private static NetInterface.Counters counters(Namespace ns, String iface) {
        return ns.interfaces().stream()
                .filter(i -> i.name().equals(iface))
                .findFirst()
                .orElseThrow()
                .counters();
    }

    static class MismatchedVni implements LabTopology {
        @Override
        public LabSpec define() {
            return overlay(42, 43);
        }
    }

    @Nested
    @DisplayName("with different VXLAN ids on the two nodes")
    class WrongVni {

        @Test
        @NetnsLab(topology = MismatchedVni.class)
        @DisplayName("the containers no longer reach each other, though the underlay still works")
        void containersAreCutOff(@Netns("c1") Namespace c1, @Netns("node1") Namespace node1) {
            assertThat(node1).canPing("10.0.0.20");
            assertThat(c1).cannotPing("172.16.0.3");
            assertThatThrownBy(() -> assertThat(c1).canPing("172.16.0.3"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to reach <172.16.0.3>");
        }
    }
}
