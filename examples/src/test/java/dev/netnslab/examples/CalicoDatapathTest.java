package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.InterfaceAddress;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.Neighbour;
import dev.netnslab.junit.Netns;
import dev.netnslab.junit.NetnsLab;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Calico's datapath without overlay, as Felix and the Calico CNI plugin program it. Each pod has a
 * /32 address and two routes: a link-scope route to 169.254.1.1 and the default route via it. No
 * one has that address: the node answers the pod's ARP request for it on the pod's {@code cali*}
 * veth, which has no address, by proxy ARP ({@code proxy_arp=1}, {@code proxy_delay=0}), with the
 * MAC {@code ee:ee:ee:ee:ee:ee} that Calico gives every such veth. The node routes each pod's /32
 * to its veth, and forwards. Proxy ARP answers only for targets the node can route out of another
 * interface, so the node has an uplink with a default route (to {@code router}). {@link WithoutProxyArp}
 * turns proxy ARP off and expects the pods to be cut off.
 */
@Tag("kernel")
@DisplayName("Calico: /32 pods behind proxy ARP on the node")
@NetnsLab(topology = CalicoDatapathTest.Calico.class)
class CalicoDatapathTest {

    static LabSpec calico(boolean proxyArp) {
        LabSpec.Builder spec = LabSpec.builder()
                .namespace("node")
                .namespace("router")
                .veth("node:eth0", "router:eth0")
                .address("node", "eth0", "10.0.0.10/24")
                .address("router", "eth0", "10.0.0.1/24")
                .route("node", "default", "10.0.0.1")
                .route("router", "10.65.0.0/24", "10.0.0.10")
                .ipForward("node", true);
        String[][] pods = {{"pod1", "cali1", "10.65.0.2"}, {"pod2", "cali2", "10.65.0.3"}};
        for (String[] pod : pods) {
            spec.namespace(pod[0])
                    .veth("node:" + pod[1], pod[0] + ":eth0")
                    .mac("node", pod[1], "ee:ee:ee:ee:ee:ee")
                    .proxyArp("node", pod[1], proxyArp)
                    .route("node:" + pod[1], pod[2])
                    .address(pod[0], "eth0", pod[2] + "/32")
                    .route(pod[0] + ":eth0", "169.254.1.1")
                    .route(pod[0] + ":eth0", "default", "169.254.1.1");
        }
        return spec.build();
    }

    static class Calico implements LabTopology {
        @Override
        public LabSpec define() {
            return calico(true);
        }
    }

    @Test
    @DisplayName("pods on one node reach each other, both ways")
    void podsReachEachOther(@Netns("pod1") Namespace pod1, @Netns("pod2") Namespace pod2) {
        assertThat(pod1).canPing("10.65.0.3");
        assertThat(pod2).canPing("10.65.0.2");
    }

    @Test
    @DisplayName("pods and their node reach each other, both ways")
    void podsAndNode(@Netns("pod1") Namespace pod1, @Netns("node") Namespace node) {
        assertThat(pod1).canPing("10.0.0.10");
        assertThat(node).canPing("10.65.0.2");
    }

    @Test
    @DisplayName("pods and the network beyond the node's uplink reach each other, both ways")
    void podsAndUplink(@Netns("pod2") Namespace pod2, @Netns("router") Namespace router) {
        assertThat(pod2).canPing("10.0.0.1");
        assertThat(router).canPing("10.65.0.3");
    }

    @Test
    @DisplayName("the pod holds a /32 only, and its gateway 169.254.1.1 resolves to the cali veth's MAC by proxy ARP")
    void gatewayIsAnsweredByProxyArp(@Netns("pod1") Namespace pod1) {
        assertThat(pod1.addresses())
                .filteredOn(a -> a.family().equals("inet") && a.iface().equals("eth0"))
                .extracting(InterfaceAddress::cidr)
                .containsExactly("10.65.0.2/32");
        assertThat(pod1).canPing("10.65.0.3");
        assertThat(pod1.neighbours())
                .filteredOn(n -> n.address().equals("169.254.1.1"))
                .extracting(Neighbour::mac)
                .containsExactly("ee:ee:ee:ee:ee:ee");
    }

    static class NoProxyArp implements LabTopology {
        @Override
        public LabSpec define() {
            return calico(false);
        }
    }

    @Nested
    @DisplayName("with proxy ARP off on the cali veths")
    class WithoutProxyArp {

        @Test
        @NetnsLab(topology = NoProxyArp.class)
        @DisplayName("nobody answers for 169.254.1.1, and the pods are cut off in every direction")
        void podsAreCutOff(
                @Netns("pod1") Namespace pod1,
                @Netns("pod2") Namespace pod2,
                @Netns("node") Namespace node,
                @Netns("router") Namespace router) {
            assertThat(pod1).cannotPing("10.65.0.3");
            assertThat(pod2).cannotPing("10.65.0.2");
            assertThat(pod1).cannotPing("10.0.0.10");
            assertThat(node).cannotPing("10.65.0.2");
            assertThat(router).cannotPing("10.65.0.3");
            assertThat(node).canPing("10.0.0.1");
        }
    }
}
