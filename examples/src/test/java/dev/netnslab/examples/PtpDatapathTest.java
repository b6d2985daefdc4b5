package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.AddressOptions;
import dev.netnslab.InterfaceAddress;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.RouteOptions;
import dev.netnslab.junit.Netns;
import dev.netnslab.junit.NetnsLab;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The layout of the CNI reference plugin {@code ptp} with {@code host-local} IPAM on 10.1.1.0/24:
 * each pod is a point-to-point veth pair, no bridge. The pod gets its address with the subnet's
 * prefix but without the subnet route; instead it routes the gateway 10.1.1.1 on-link (scope link,
 * with its own address as source), the subnet via the gateway, and its default via the gateway.
 * On the node, every host-side veth holds the same gateway address as a /32, and each pod's /32 is
 * routed to its veth (scope host). {@link WithoutPodRoute} leaves out pod2's /32 route on the node.
 */
@Tag("kernel")
@DisplayName("Ptp: the CNI ptp plugin's point-to-point pods")
@NetnsLab(topology = PtpDatapathTest.Ptp.class)
class PtpDatapathTest {

    static LabSpec ptp(boolean routePod2) {
        LabSpec.Builder spec = LabSpec.builder().namespace("node").ipForward("node", true);
        for (int i = 1; i <= 2; i++) {
            String pod = "pod" + i;
            String veth = "veth" + i;
            String ip = "10.1.1." + (i + 1);
            spec.namespace(pod)
                    .veth("node:" + veth, pod + ":eth0")
                    .address("node", veth, "10.1.1.1/32")
                    .address(pod, "eth0", ip + "/24", AddressOptions.noPrefixRoute())
                    .route(pod + ":eth0", "10.1.1.1", RouteOptions.scope("link").withSrc(ip))
                    .route(pod + ":eth0", "10.1.1.0/24", "10.1.1.1", RouteOptions.src(ip))
                    .route(pod + ":eth0", "default", "10.1.1.1");
            if (i == 1 || routePod2) {
                spec.route("node:" + veth, ip, RouteOptions.scope("host"));
            }
        }
        return spec.build();
    }

    static class Ptp implements LabTopology {
        @Override
        public LabSpec define() {
            return ptp(true);
        }
    }

    @Test
    @DisplayName("the pods reach each other through the node, both ways")
    void podsReachEachOther(@Netns("pod1") Namespace pod1, @Netns("pod2") Namespace pod2) {
        assertThat(pod1).canPing("10.1.1.3");
        assertThat(pod2).canPing("10.1.1.2");
    }

    @Test
    @DisplayName("each pod reaches the gateway on its own veth, and the node reaches each pod")
    void podsAndNode(@Netns("pod1") Namespace pod1, @Netns("pod2") Namespace pod2, @Netns("node") Namespace node) {
        assertThat(pod1).canPing("10.1.1.1");
        assertThat(pod2).canPing("10.1.1.1");
        assertThat(node).canPing("10.1.1.2").canPing("10.1.1.3");
    }

    @Test
    @DisplayName("the node holds the gateway's /32 on every veth, and the pod has no subnet route of its own")
    void layoutIsThePluginsLayout(@Netns("node") Namespace node, @Netns("pod1") Namespace pod1) {
        assertThat(node.addresses())
                .filteredOn(a -> a.family().equals("inet") && a.iface().startsWith("veth"))
                .extracting(InterfaceAddress::iface, InterfaceAddress::cidr)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("veth1", "10.1.1.1/32"),
                        org.assertj.core.groups.Tuple.tuple("veth2", "10.1.1.1/32"));
        assertThat(pod1.exec("ip", "route", "show").stdout().lines().map(String::strip))
                .containsExactlyInAnyOrder(
                        "default via 10.1.1.1 dev eth0",
                        "10.1.1.0/24 via 10.1.1.1 dev eth0 src 10.1.1.2",
                        "10.1.1.1 dev eth0 scope link src 10.1.1.2");
        assertThat(pod1).canPing("10.1.1.3");
    }

    static class NoRouteToPod2 implements LabTopology {
        @Override
        public LabSpec define() {
            return ptp(false);
        }
    }

    @Nested
    @DisplayName("when the node has no route to pod2")
    class WithoutPodRoute {

        @Test
        @NetnsLab(topology = NoRouteToPod2.class)
        @DisplayName("pod2 is cut off both ways, while pod1 still reaches its gateway")
        void pod2IsCutOff(@Netns("pod1") Namespace pod1, @Netns("pod2") Namespace pod2, @Netns("node") Namespace node) {
            assertThat(pod1).cannotPing("10.1.1.3");
            assertThat(pod2).cannotPing("10.1.1.2");
            assertThat(node).cannotPing("10.1.1.3");
            assertThat(pod1).canPing("10.1.1.1");
        }
    }
}
