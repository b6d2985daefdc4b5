package dev.netnslab.internal.iproute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.AddressOptions;
import dev.netnslab.LabSpec;
import dev.netnslab.RouteOptions;
import dev.netnslab.RuleOptions;
import dev.netnslab.VxlanOptions;
import dev.netnslab.internal.engine.ApiBridge;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rendering the datapath elements (IPv6, route options, rules, MACs, neighbours, FDB, stacked devices) to ip batches. */
@DisplayName("Datapath rendering")
class DatapathRenderingTest {

    private static BuildPlan render(LabSpec.Builder spec) {
        return BuildPlan.render(ApiBridge.topology(spec.build()), name -> name + "-t1");
    }

    @Test
    @DisplayName("Calico's pod: device route to the gateway before the default route through it; proxy ARP as sysctls")
    void calico() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("node")
                .namespace("pod")
                .veth("node:cali1", "pod:eth0")
                .mac("node", "cali1", "ee:ee:ee:ee:ee:ee")
                .proxyArp("node", "cali1", true)
                .route("node:cali1", "10.65.0.2")
                .address("pod", "eth0", "10.65.0.2/32")
                .route("pod:eth0", "default", "169.254.1.1")
                .route("pod:eth0", "169.254.1.1"));

        assertThat(plan.namespaceBatches().get("pod-t1"))
                .containsExactly(
                        "link set lo up",
                        "addr add 10.65.0.2/32 dev eth0",
                        "link set dev eth0 up",
                        "route add 169.254.1.1 dev eth0",
                        "route add default via 169.254.1.1 dev eth0");
        assertThat(plan.namespaceBatches().get("node-t1"))
                .containsExactly(
                        "link set lo up",
                        "link set dev cali1 address ee:ee:ee:ee:ee:ee",
                        "link set dev cali1 up",
                        "route add 10.65.0.2 dev cali1");
        assertThat(plan.steps())
                .singleElement()
                .satisfies(step -> assertThat(step.argv())
                        .containsExactly(
                                "sysctl",
                                "-q",
                                "-w",
                                "net/ipv4/conf/cali1/proxy_arp=1",
                                "net/ipv4/neigh/cali1/proxy_delay=0"));
    }

    @Test
    @DisplayName(
            "Flannel's VTEP: vxlan without remote, neighbour in the batch, FDB entry in the bridge batch, on-link route")
    void flannel() {
        BuildPlan plan = render(LabSpec.builder()
                .node("node1", "10.0.0.10/24")
                .vxlan(
                        "node1",
                        "flannel.1",
                        1,
                        "eth0",
                        VxlanOptions.port(8472).withNoLearning().withLocal("10.0.0.10"))
                .mac("node1", "flannel.1", "02:00:00:00:00:01")
                .address("node1", "flannel.1", "10.244.1.0/32")
                .neighbour("node1:flannel.1", "10.244.2.0", "02:00:00:00:00:02")
                .fdb("node1:flannel.1", "02:00:00:00:00:02", "10.0.0.20")
                .route("node1:flannel.1", "10.244.2.0/24", "10.244.2.0", RouteOptions.onLink()));

        assertThat(plan.namespaceBatches().get("node1-t1"))
                .containsExactly(
                        "link set lo up",
                        "link add name flannel.1 type vxlan id 1 dstport 8472 local 10.0.0.10 dev eth0 nolearning",
                        "link set dev flannel.1 address 02:00:00:00:00:01",
                        "addr add 10.0.0.10/24 dev eth0",
                        "addr add 10.244.1.0/32 dev flannel.1",
                        "link set dev eth0 up",
                        "link set dev flannel.1 up",
                        "neigh add 10.244.2.0 lladdr 02:00:00:00:00:02 dev flannel.1 nud permanent",
                        "route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink");
        assertThat(plan.steps()).anySatisfy(step -> {
            assertThat(step.argv()).containsExactly("bridge", "-batch", "-");
            assertThat(step.stdin())
                    .isEqualTo("fdb append 02:00:00:00:00:02 dev flannel.1 dst 10.0.0.20 self permanent\n");
        });
    }

    @Test
    @DisplayName("IPv6: addresses after the link is up, nodad, with a fixed link-local address; DAD on request")
    void ipv6() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("a")
                .namespace("b")
                .veth("a:eth0", "b:eth0")
                .address("a", "eth0", "10.0.0.1/24")
                .address("a", "eth0", "fd00::1/64")
                .address("b", "eth0", "fd00::2/64", AddressOptions.dad())
                .route("a:eth0", "default", "fe80::2")
                .route("b", "fd00:9::/64", "fd00::1", RouteOptions.metric(5)));

        // Derived from the namespace and interface names (SHA-256 of "a:eth0"), so every build gives the
        // same address; written out here rather than recomputed, so a change of the derivation shows.
        assertThat(BuildPlan.linkLocal("a", "eth0")).isEqualTo("fe80::c336:ecb3:29ed:38c3");
        assertThat(BuildPlan.linkLocal("b", "eth0")).isEqualTo("fe80::8117:83a0:816e:2fca");
        assertThat(plan.namespaceBatches().get("a-t1"))
                .containsExactly(
                        "link set lo up",
                        "link set dev eth0 addrgenmode none",
                        "addr add 10.0.0.1/24 dev eth0",
                        "link set dev eth0 up",
                        "addr add fe80::c336:ecb3:29ed:38c3/64 dev eth0 nodad",
                        "addr add fd00::1/64 dev eth0 nodad",
                        "route add default via fe80::2 dev eth0");
        assertThat(plan.namespaceBatches().get("b-t1"))
                .containsExactly(
                        "link set lo up",
                        "link set dev eth0 up",
                        "addr add fd00::2/64 dev eth0",
                        "route add fd00:9::/64 via fd00::1 metric 5");
        assertThat(plan.dadNamespaces()).containsExactly("b-t1");
    }

    @Test
    @DisplayName("route options, blackholes and rules: IPv4 rules in the batch, IPv6 rules in an ip -6 batch")
    void routesAndRules() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("a")
                .veth("host:v1", "a:v2")
                .address("a", "v2", "10.1.1.2/24", AddressOptions.noPrefixRoute())
                .address("a", "v2", "fd00::2/64")
                .route("a:v2", "10.1.1.1", RouteOptions.scope("link").withSrc("10.1.1.2"))
                .route(
                        "a:v2",
                        "default",
                        "10.1.1.1",
                        RouteOptions.table(100).withMetric(7).withMtu(1400))
                .route("a:v2", "10.9.0.0/16", "fe80::1")
                .blackhole("a", "10.8.0.0/16", RouteOptions.table(100))
                .blackhole("a", "::/0", RouteOptions.table(100))
                .rule("a", "10.1.1.0/24", null, 100, RuleOptions.priority(10))
                .rule("a", null, "fd00:9::/64", 100));

        assertThat(plan.namespaceBatches().get("a-t1"))
                .containsSubsequence(
                        "addr add 10.1.1.2/24 dev v2 noprefixroute",
                        "route add 10.1.1.1 dev v2 scope link src 10.1.1.2",
                        "route add blackhole 10.8.0.0/16 table 100",
                        "route add blackhole ::/0 table 100",
                        "route add default via 10.1.1.1 dev v2 metric 7 table 100 mtu 1400",
                        "route add 10.9.0.0/16 via inet6 fe80::1 dev v2",
                        "rule add priority 10 from 10.1.1.0/24 table 100");
        assertThat(plan.steps()).anySatisfy(step -> {
            assertThat(step.argv()).containsExactly("ip", "-6", "-batch", "-");
            assertThat(step.stdin()).isEqualTo("rule add from all to fd00:9::/64 table 100\n");
        });
    }

    @Test
    @DisplayName("stacked devices: macvlan into a pod from its parent's namespace, VLAN and VRF in place, port flags")
    void stackedDevices() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("node")
                .namespace("pod")
                .bridge("node", "br0")
                .veth("host:up0", "node:eth0")
                .veth("node:p1", "host:p1peer")
                .master("node", "p1", "br0")
                .hairpin("node", "p1", true)
                .isolated("node", "p1", false)
                .macvlan("pod:eth0", "node:eth0", "bridge")
                .vlan("node", "eth0.10", "eth0", 10)
                .vrf("node", "blue", 10)
                .master("node", "eth0.10", "blue")
                .fdb("node:p1", "02:00:00:00:00:09", null));

        assertThat(plan.linkBatches()).containsOnlyKeys("node-t1");
        assertThat(plan.linkBatches().get("node-t1"))
                .containsExactly("link add link eth0 name eth0 netns pod-t1 type macvlan mode bridge");
        assertThat(plan.namespaceBatches().get("node-t1"))
                .containsSubsequence(
                        "link add name br0 type bridge",
                        "link add link eth0 name eth0.10 type vlan id 10",
                        "link add name blue type vrf table 10",
                        "link set dev p1 master br0",
                        "link set dev eth0.10 master blue",
                        "link set dev p1 type bridge_slave hairpin on isolated off",
                        "link set dev eth0.10 up",
                        "link set dev blue up");
        assertThat(plan.namespaceBatches().get("pod-t1")).containsExactly("link set lo up", "link set dev eth0 up");
        assertThat(plan.steps())
                .anySatisfy(
                        step -> assertThat(step.stdin()).isEqualTo("fdb add 02:00:00:00:00:09 dev p1 master static\n"));
    }

    @Test
    @DisplayName("a link type the kernel may lack gets a hint naming it and what to do")
    void linkTypeHints() {
        assertThat(BuildPlan.hint("link add link eth0 name ipv0 type ipvlan mode l2"))
                .contains("ipvlan needs kernel support (CONFIG_IPVLAN)")
                .contains("remove ipvlan(...)")
                .contains("multipass or qemu");
        assertThat(BuildPlan.hint("link add name blue type vrf table 10")).contains("CONFIG_NET_VRF");
        assertThat(BuildPlan.hint("link add link eth0 name eth0.10 type vlan id 10"))
                .contains("CONFIG_VLAN_8021Q");
        assertThat(BuildPlan.hint("addr add 10.0.0.1/24 dev eth0")).isNull();
    }
}
