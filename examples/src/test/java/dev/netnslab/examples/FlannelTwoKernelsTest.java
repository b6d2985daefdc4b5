package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.NetInterface;
import dev.netnslab.RouteOptions;
import dev.netnslab.VxlanOptions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Flannel's VXLAN datapath (see {@link FlannelDatapathTest}) with its two nodes on two kernels:
 * node1 and its pod here, node2 and its pod on a second machine. The nodes' underlay (their
 * {@code eth0} on the lab's {@code underlay} bridge) crosses the kernels as the lab's own tunnel, so
 * Flannel's VXLAN runs inside it: {@code flannel.1} takes another 50 bytes, and the pods get an MTU
 * of 1400.
 */
@Tag("kernel")
@DisplayName("Flannel over two kernels: VXLAN inside the lab's tunnel")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlannelTwoKernelsTest {

    private SecondMachineLab kernels;
    private Lab lab;

    static LabSpec flannel(boolean node1KnowsNode2) {
        LabSpec.Builder spec = LabSpec.builder();
        for (int n = 1; n <= 2; n++) {
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
                    // The lab's tunnel leaves 1450 for eth0, and flannel.1 takes 50 bytes more.
                    .mtu("pod" + n, "eth0", 1400);
        }
        for (int n = 1; n <= 2; n++) {
            int r = 3 - n;
            if (n == 1 && !node1KnowsNode2) {
                continue;
            }
            String node = "node" + n;
            String vtep = "10.244." + r + ".0";
            spec.neighbour(node + ":flannel.1", vtep, vtepMac(r))
                    .fdb(node + ":flannel.1", vtepMac(r), "10.0.0.1" + r)
                    .route(node + ":flannel.1", "10.244." + r + ".0/24", vtep, RouteOptions.onLink());
        }
        return spec.on("remote", "node2", "pod2").build();
    }

    private static String vtepMac(int node) {
        return "0a:58:0a:f4:0" + node + ":00";
    }

    @BeforeAll
    void start() {
        kernels = SecondMachineLab.start(flannel(true));
        lab = kernels.lab();
    }

    @AfterAll
    void stop() {
        if (kernels != null) {
            kernels.close();
        }
    }

    @Test
    @DisplayName("the pods reach each other across the kernels, both ways")
    void podsAcrossKernels() {
        assertThat(lab.namespace("pod1")).canPing("10.244.2.2");
        assertThat(lab.namespace("pod2")).canPing("10.244.1.2");
        assertThat(lab.namespace("pod1").exec("ping", "-c", "1", "-W", "2", "-M", "do", "-s", "1372", "10.244.2.2"))
                .succeeded();
    }

    @Test
    @DisplayName("flannel.1 sits on the tunnel: 1450 for the nodes' eth0, 1400 for flannel.1")
    void mtus() {
        Namespace node2 = lab.namespace("node2");
        assertThat(node2.kernel()).isEqualTo("remote");
        assertThat(node2.interfaces())
                .filteredOn(i -> i.name().equals("eth0") || i.name().equals("flannel.1"))
                .extracting(NetInterface::name, NetInterface::mtu)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("eth0", 1450),
                        org.assertj.core.groups.Tuple.tuple("flannel.1", 1400));
    }

    @Test
    @DisplayName("twin: without node1's entries for node2, pod1 no longer reaches pod2")
    void twinWithoutEntries() {
        try (Lab broken = Lab.start(flannel(false), Map.of("remote", kernels.remote()))) {
            assertThatThrownBy(() -> assertThat(broken.namespace("pod1")).canPing("10.244.2.2"))
                    .isInstanceOf(AssertionError.class);
        }
    }
}
