package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.Neighbour;
import dev.netnslab.NetInterface;
import dev.netnslab.RouteOptions;
import dev.netnslab.VxlanOptions;
import dev.netnslab.junit.Netns;
import dev.netnslab.junit.NetnsLab;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Flannel's VXLAN backend, as flanneld programs it on each node: a device {@code flannel.1} (VNI 1,
 * UDP port 8472, no learning, no default remote) holding the node's VTEP address, the first address
 * of its pod subnet as a /32; and, for every other node, a permanent neighbour entry (that node's
 * VTEP address is at its VTEP MAC), a permanent FDB entry (that MAC lives behind that node's
 * underlay address) and an on-link route to that node's pod subnet via its VTEP address. Pods hang
 * off the bridge {@code cni0}. Three nodes, so that {@link WithoutNode3Entries} can make node1 forget
 * node3 and show that only the pairs across that gap break.
 */
@Tag("kernel")
@DisplayName("Flannel: VXLAN with static neighbours, FDB entries and on-link routes")
@NetnsLab(topology = FlannelDatapathTest.Flannel.class)
class FlannelDatapathTest {

    private static final int NODES = 3;

    /** Three nodes and a pod on each; {@code forgotten} lists "node:remote" pairs whose entries are left out. */
    static LabSpec flannel(Set<String> forgotten) {
        LabSpec.Builder spec = LabSpec.builder();
        for (int n = 1; n <= NODES; n++) {
            String node = "node" + n;
            spec.node(node, "10.0.0.1" + n + "/24")
                    .vxlan(
                            node,
                            "flannel.1",
                            1,
                            "eth0",
                            VxlanOptions.port(8472).withNoLearning().withLocal("10.0.0.1" + n))
                    .mac(node, "flannel.1", vtepMac(n))
                    .address(node, "flannel.1", "10.244." + n + ".0/32")
                    .bridge(node, "cni0", "10.244." + n + ".1/24")
                    .container("pod" + n, node + ":cni0", "10.244." + n + ".2/24")
                    // flannel.1 takes 50 bytes of VXLAN headers from the underlay's 1500.
                    .mtu("pod" + n, "eth0", 1450);
        }
        for (int n = 1; n <= NODES; n++) {
            for (int r = 1; r <= NODES; r++) {
                if (r == n || forgotten.contains(n + ":" + r)) {
                    continue;
                }
                String node = "node" + n;
                String vtep = "10.244." + r + ".0";
                spec.neighbour(node + ":flannel.1", vtep, vtepMac(r))
                        .fdb(node + ":flannel.1", vtepMac(r), "10.0.0.1" + r)
                        .route(node + ":flannel.1", "10.244." + r + ".0/24", vtep, RouteOptions.onLink());
            }
        }
        return spec.build();
    }

    private static String vtepMac(int node) {
        return "0a:58:0a:f4:0" + node + ":00";
    }

    static class Flannel implements LabTopology {
        @Override
        public LabSpec define() {
            return flannel(Set.of());
        }
    }

    @Test
    @DisplayName("every pod reaches every other pod, across all three nodes, both ways")
    void fullMatrix(Lab lab) {
        for (int from = 1; from <= NODES; from++) {
            for (int to = 1; to <= NODES; to++) {
                if (from != to) {
                    assertThat(lab.namespace("pod" + from)).canPing("10.244." + to + ".2");
                }
            }
        }
    }

    @Test
    @DisplayName("nodes reach remote pods through flannel.1, and pods reach remote nodes' VTEP addresses")
    void nodesAndPods(@Netns("node1") Namespace node1, @Netns("pod3") Namespace pod3) {
        assertThat(node1).canPing("10.244.3.2");
        assertThat(pod3).canPing("10.244.1.0");
    }

    @Test
    @DisplayName("flannel.1 never learns: its neighbours and forwarding entries are the permanent ones the spec gave")
    void entriesAreStatic(@Netns("node1") Namespace node1, @Netns("pod1") Namespace pod1) {
        assertThat(pod1).canPing("10.244.2.2");
        assertThat(node1.neighbours())
                .filteredOn(n -> n.device().equals("flannel.1"))
                .extracting(Neighbour::address, Neighbour::mac)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("10.244.2.0", vtepMac(2)),
                        org.assertj.core.groups.Tuple.tuple("10.244.3.0", vtepMac(3)));
        assertThat(node1.neighbours())
                .filteredOn(n -> n.device().equals("flannel.1"))
                .allSatisfy(n -> assertThat(n.states()).contains("PERMANENT"));
        assertThat(node1.exec("bridge", "fdb", "show", "dev", "flannel.1").stdout())
                .contains(vtepMac(2) + " dst 10.0.0.12 self permanent")
                .contains(vtepMac(3) + " dst 10.0.0.13 self permanent");
        assertThat(node1.exec("ip", "-d", "link", "show", "flannel.1").stdout())
                .contains("vxlan id 1 local 10.0.0.11 dev eth0")
                .contains("dstport 8472")
                .contains("nolearning");
        assertThat(node1.interfaces())
                .filteredOn(i -> i.name().equals("flannel.1"))
                .extracting(NetInterface::mtu)
                .containsExactly(1450);
    }

    static class Node1ForgetsNode3 implements LabTopology {
        @Override
        public LabSpec define() {
            return flannel(Set.of("1:3"));
        }
    }

    @Nested
    @DisplayName("when node1 lacks node3's neighbour, FDB entry and route")
    class WithoutNode3Entries {

        @Test
        @NetnsLab(topology = Node1ForgetsNode3.class)
        @DisplayName("pods on node1 and node3 lose each other both ways, and every other pair still works")
        void onlyThatPairBreaks(Lab lab) {
            assertThat(lab.namespace("pod1")).cannotPing("10.244.3.2");
            assertThat(lab.namespace("pod3")).cannotPing("10.244.1.2");
            assertThat(lab.namespace("pod1")).canPing("10.244.2.2");
            assertThat(lab.namespace("pod2")).canPing("10.244.1.2").canPing("10.244.3.2");
            assertThat(lab.namespace("pod3")).canPing("10.244.2.2");
        }
    }
}
