package dev.netnslab.internal.iproute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.LabSpec;
import dev.netnslab.internal.engine.ApiBridge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rendering multi-namespace topologies to ip batches and namespace steps, without touching the system. */
@DisplayName("Topology rendering")
class TopologyRenderingTest {

    private static BuildPlan render(LabSpec spec) {
        return BuildPlan.render(ApiBridge.topology(spec), name -> name + "-t1");
    }

    @Test
    @DisplayName("nodes and containers: veths created in place, bridges before ports, addresses, then routes")
    void nodesAndContainers() {
        BuildPlan plan = render(LabSpec.builder()
                .node("node1", "10.0.0.10/24", "172.16.0.1/24")
                .container("c1", "node1", "172.16.0.2/24")
                .build());

        assertThat(plan.rootBatch())
                .containsExactly(
                        "netns add host-t1",
                        "netns add node1-t1",
                        "netns add c1-t1",
                        "link add name eth0 index 100000000 netns node1-t1 type veth peer name veth-node1 index 100000001 netns host-t1",
                        "link add name eth0 index 100000002 netns c1-t1 type veth peer name veth-c1 index 100000003 netns node1-t1");
        assertThat(plan.namespaceBatches().get("host-t1"))
                .containsExactly(
                        "link set lo up",
                        "link add name underlay type bridge",
                        "link set dev veth-node1 master underlay",
                        "link set dev veth-node1 up",
                        "link set dev underlay up");
        assertThat(plan.namespaceBatches().get("node1-t1"))
                .containsExactly(
                        "link set lo up",
                        "link add name br0 type bridge",
                        "link set dev veth-c1 master br0",
                        "addr add 10.0.0.10/24 dev eth0",
                        "addr add 172.16.0.1/24 dev br0",
                        "link set dev eth0 up",
                        "link set dev veth-c1 up",
                        "link set dev br0 up");
        assertThat(plan.namespaceBatches().get("c1-t1"))
                .containsExactly(
                        "link set lo up",
                        "addr add 172.16.0.2/24 dev eth0",
                        "link set dev eth0 up",
                        "route add default via 172.16.0.1");
        assertThat(plan.steps()).singleElement().satisfies(step -> {
            assertThat(step.systemName()).isEqualTo("node1-t1");
            assertThat(step.argv()).containsExactly("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        });
    }

    @Test
    @DisplayName("VXLAN: the first remote in ip link add, the others as FDB entries in one bridge batch")
    void vxlan() {
        BuildPlan plan = render(LabSpec.builder()
                .node("n1", "10.0.0.10/24")
                .bridge("n1", "br0")
                .vxlan("n1", "vxlan0", 42, "eth0", "10.0.0.20", "10.0.0.30")
                .master("n1", "vxlan0", "br0")
                .build());

        assertThat(plan.namespaceBatches().get("n1-t1"))
                .containsSubsequence(
                        "link add name br0 type bridge",
                        "link add name vxlan0 type vxlan id 42 dstport 4789 remote 10.0.0.20 dev eth0",
                        "link set dev vxlan0 master br0",
                        "link set dev vxlan0 up");
        assertThat(plan.steps())
                .filteredOn(s -> s.argv().get(0).equals("bridge"))
                .singleElement()
                .satisfies(s ->
                        assertThat(s.stdin()).isEqualTo("fdb append 00:00:00:00:00:00 dev vxlan0 dst 10.0.0.30\n"));
    }

    @Test
    @DisplayName("link settings: MTU in the ip batch, rate as tbf, loss as an iptables statistic rule")
    void linkSettings() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("a")
                .veth("host:v0", "a:v1")
                .mtu("a", "v1", 1400)
                .rate("a", "v1", "100mbit")
                .loss("a", "v1", 12.5)
                .build());

        assertThat(plan.namespaceBatches().get("a-t1")).contains("link set dev v1 mtu 1400");
        NamespaceStep tc = plan.steps().get(0);
        assertThat(tc.argv()).containsExactly("tc", "-batch", "-");
        assertThat(tc.stdin()).isEqualTo("qdisc add dev v1 root tbf rate 100mbit burst 125000 latency 50ms\n");
        assertThat(tc.hint()).isNull();
        assertThat(plan.steps().get(1).argv())
                .containsExactly(
                        "iptables",
                        "-w",
                        "-t",
                        "mangle",
                        "-A",
                        "POSTROUTING",
                        "-o",
                        "v1",
                        "-m",
                        "statistic",
                        "--mode",
                        "random",
                        "--probability",
                        "0.125",
                        "-j",
                        "DROP");
    }

    @Test
    @DisplayName("inbound settings: an ifb device per interface with a rate, the ingress redirect, loss in PREROUTING")
    void inboundSettings() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("a")
                .veth("host:v0", "a:v1")
                .veth("host:v2", "a:v3")
                .inboundRate("a", "v1", "1mbit")
                .inboundRate("a", "v3", "2mbit")
                .inboundLoss("a", "v1", 50)
                .build());

        assertThat(plan.steps().get(0).argv()).containsExactly("ip", "-batch", "-");
        assertThat(plan.steps().get(0).stdin())
                .isEqualTo("link add nlin0 type ifb\nlink set dev nlin0 up\n"
                        + "link add nlin1 type ifb\nlink set dev nlin1 up\n");
        assertThat(plan.steps().get(1).argv()).containsExactly("tc", "-batch", "-");
        assertThat(plan.steps().get(1).stdin())
                .startsWith("qdisc add dev nlin0 root tbf rate 1mbit burst 4096 latency 50ms\n"
                        + "qdisc add dev v1 handle ffff: ingress\n"
                        + "filter add dev v1 parent ffff: protocol all prio 1 u32 match u32 0 0"
                        + " action mirred egress redirect dev nlin0\n")
                .contains("redirect dev nlin1\n");
        assertThat(plan.steps().get(2).argv())
                .containsSequence("-A", "PREROUTING", "-i", "v1", "-m", "statistic")
                .contains("0.5");
    }

    @Test
    @DisplayName("delay renders netem and carries the hint shown when the kernel lacks it")
    void delay() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("a")
                .veth("host:v0", "a:v1")
                .delay("a", "v1", Duration.ofMillis(20))
                .rate("a", "v1", "1mbit")
                .build());

        NamespaceStep tc = plan.steps().get(0);
        assertThat(tc.stdin()).isEqualTo("qdisc add dev v1 root netem delay 20000us rate 1mbit\n");
        assertThat(tc.hint()).contains("netem").contains("remove delay(...)");
    }

    @Test
    @DisplayName("netem's jitter, duplicate, corrupt and reorder render into the one netem qdisc, and are checked")
    void netemSettings() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("a")
                .veth("host:v0", "a:v1")
                .delay("a", "v1", Duration.ofMillis(20), Duration.ofMillis(5))
                .duplicate("a", "v1", 1)
                .corrupt("a", "v1", 0.5)
                .reorder("a", "v1", 25)
                .rate("a", "v1", "1mbit")
                .build());
        assertThat(plan.steps().get(0).stdin())
                .isEqualTo("qdisc add dev v1 root netem delay 20000us 5000us duplicate 1% corrupt 0.5% reorder 25%"
                        + " rate 1mbit\n");
        assertThat(render(LabSpec.builder()
                                .namespace("a")
                                .veth("host:v0", "a:v1")
                                .duplicate("a", "v1", 2)
                                .build())
                        .steps()
                        .get(0)
                        .stdin())
                .isEqualTo("qdisc add dev v1 root netem duplicate 2%\n");
        assertThatThrownBy(() -> LabSpec.builder()
                        .namespace("a")
                        .veth("host:v0", "a:v1")
                        .reorder("a", "v1", 25)
                        .build())
                .isInstanceOf(dev.netnslab.InvalidLabSpecException.class)
                .hasMessageContaining("reorder needs a delay on the same interface");
        assertThatThrownBy(() -> LabSpec.builder()
                        .namespace("a")
                        .veth("host:v0", "a:v1")
                        .delay("a", "v1", Duration.ofMillis(5), Duration.ofMillis(10))
                        .build())
                .hasMessageContaining("a jitter is 0 up to the delay");
        assertThatThrownBy(() -> LabSpec.builder()
                        .namespace("a")
                        .veth("host:v0", "a:v1")
                        .corrupt("a", "v1", 101)
                        .build())
                .hasMessageContaining("corrupt is a percentage, 0-100");
    }

    @Test
    @DisplayName("sysctls: one process per namespace with every key; firewall: argv per rule, nft on stdin")
    void sysctlsAndFirewall() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("a")
                .veth("host:v0", "a:v1")
                .ipForward("a", true)
                .rpFilter("a", 2)
                .masquerade("a", "172.16.0.0/24", "v1")
                .nft("a", "add table ip t")
                .build());

        assertThat(plan.steps())
                .extracting(NamespaceStep::argv)
                .containsExactly(
                        List.of(
                                "sysctl",
                                "-q",
                                "-w",
                                "net.ipv4.ip_forward=1",
                                "net.ipv4.conf.all.rp_filter=2",
                                "net.ipv4.conf.default.rp_filter=2"),
                        List.of(
                                "iptables",
                                "-w",
                                "-t",
                                "nat",
                                "-A",
                                "POSTROUTING",
                                "-s",
                                "172.16.0.0/24",
                                "-o",
                                "v1",
                                "-j",
                                "MASQUERADE"),
                        List.of("nft", "-f", "-"));
        assertThat(plan.steps().get(2).stdin()).isEqualTo("add table ip t\n");
    }

    @Test
    @DisplayName("tbf's burst is 10 ms of the rate, at least 4 KB")
    void burst() {
        assertThat(NamespaceSettings.burstBytes("1mbit")).isEqualTo(4096);
        assertThat(NamespaceSettings.burstBytes("1gbit")).isEqualTo(1_250_000);
        assertThat(NamespaceSettings.probability(0.5)).isEqualTo("0.005");
        assertThat(NamespaceSettings.probability(100)).isEqualTo("1");
    }
}
