package dev.netnslab.internal.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FaultRules: fault commands and argument checks, without a kernel")
class FaultRulesTest {

    @Test
    @DisplayName("loss is an nft table of its own that spares neighbour discovery, in steps of 0.01%")
    void lossTable() {
        String script = FaultRules.lossTable("netnslab_loss_1", "eth0", 12.5);
        assertThat(script)
                .startsWith("table inet netnslab_loss_1 {")
                .contains("type filter hook postrouting priority -150; policy accept;")
                .contains(
                        "oifname \"eth0\" icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, nd-redirect } return")
                .contains("oifname \"eth0\" numgen random mod 10000 < 1250 drop");
        assertThat(FaultRules.lossTable("t", "eth0", 0.01)).contains("< 1 drop");
        assertThat(FaultRules.lossTable("t", "eth0", 100))
                .contains("oifname \"eth0\" drop")
                .doesNotContain("numgen");
    }

    @Test
    @DisplayName("inbound loss drops in prerouting by the arriving interface; the ifb redirect is ingress, u32, mirred")
    void inbound() {
        assertThat(FaultRules.lossTable("netnslab_inloss_1", "eth0", 100, true))
                .contains("type filter hook prerouting priority -150; policy accept;")
                .contains("iifname \"eth0\" icmpv6 type {")
                .contains("iifname \"eth0\" drop")
                .doesNotContain("oifname");
        assertThat(FaultRules.ifbAdd("nlifb3")).containsExactly("link add nlifb3 type ifb", "link set dev nlifb3 up");
        assertThat(FaultRules.ingressRedirect("eth0", "nlifb3"))
                .containsExactly(
                        "qdisc add dev eth0 handle ffff: ingress",
                        "filter add dev eth0 parent ffff: protocol all prio 1 u32 match u32 0 0"
                                + " action mirred egress redirect dev nlifb3");
        assertThat(FaultRules.ingressClear("eth0"))
                .containsExactly("tc", "qdisc", "del", "dev", "eth0", "handle", "ffff:", "ingress");
    }

    @Test
    @DisplayName("a connection fault matches the peer's addresses with the port on the peer's side, out and back")
    void connectionFaults() {
        assertThat(FaultRules.connectionFaultTable(
                        "netnslab_conn_reset_4", List.of("10.0.0.2", "FD00::2"), FaultRules.TcpFault.RESET, 8080, 0))
                .isEqualTo(
                        "table inet netnslab_conn_reset_4 {\n"
                                + "  chain output {\n    type filter hook output priority 0; policy accept;\n"
                                + "    ip daddr { 10.0.0.2 } tcp dport 8080 tcp flags & rst == 0 reject with tcp reset\n"
                                + "    ip6 daddr { fd00::2 } tcp dport 8080 tcp flags & rst == 0 reject with tcp reset\n  }\n"
                                + "  chain input {\n    type filter hook input priority 0; policy accept;\n"
                                + "    ip saddr { 10.0.0.2 } tcp sport 8080 tcp flags & rst == 0 reject with tcp reset\n"
                                + "    ip6 saddr { fd00::2 } tcp sport 8080 tcp flags & rst == 0 reject with tcp reset\n  }\n}\n");
        assertThat(FaultRules.connectionFaultTable("t", List.of("10.0.0.2"), FaultRules.TcpFault.SILENCE, 80, 0))
                .contains("ip daddr { 10.0.0.2 } tcp dport 80 drop\n")
                .doesNotContain("ip6");
        assertThat(FaultRules.connectionFaultTable("t", List.of("10.0.0.2"), FaultRules.TcpFault.LIMIT, 80, 500))
                .contains(
                        "ip saddr { 10.0.0.2 } tcp sport 80 tcp flags & rst == 0 ct bytes > 500 reject with tcp reset");
        assertThatThrownBy(() -> FaultRules.connectionFaultTable("t", List.of(), FaultRules.TcpFault.RESET, 80, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a partition drops what arrives from the peer's IPv4 and IPv6 addresses, before conntrack")
    void partitionTable() {
        String script = FaultRules.partitionTable("netnslab_partition_2", List.of("10.0.0.2", "FD00::2"));
        assertThat(script)
                .isEqualTo("table inet netnslab_partition_2 {\n"
                        + "  chain input {\n    type filter hook input priority -300; policy accept;\n"
                        + "    ip saddr { 10.0.0.2 } drop\n    ip6 saddr { fd00::2 } drop\n  }\n}\n");
        assertThatThrownBy(() -> FaultRules.partitionTable("t", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FaultRules.deleteTable("netnslab_partition_2"))
                .isEqualTo("delete table inet netnslab_partition_2\n");
    }

    @Test
    @DisplayName("netem renders every setting it has, in microseconds and percent, and leaves out the rest")
    void netem() {
        assertThat(FaultRules.netem("eth0", Duration.ofMillis(100), Duration.ofMillis(10), 1, 0.5, 25, "1mbit"))
                .containsExactly(
                        "tc",
                        "qdisc",
                        "replace",
                        "dev",
                        "eth0",
                        "root",
                        "netem",
                        "delay",
                        "100000us",
                        "10000us",
                        "duplicate",
                        "1%",
                        "corrupt",
                        "0.5%",
                        "reorder",
                        "25%",
                        "rate",
                        "1mbit");
        assertThat(FaultRules.netem("eth0", Duration.ZERO, Duration.ZERO, 2, 0, 0, null))
                .containsExactly("tc", "qdisc", "replace", "dev", "eth0", "root", "netem", "duplicate", "2%");
        assertThat(FaultRules.netemMissing("Error: Specified qdisc kind is unknown."))
                .isTrue();
        assertThat(FaultRules.netemMissing("RTNETLINK answers: File exists")).isFalse();
        assertThat(FaultRules.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(FaultRules.duration(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(FaultRules.duration(Duration.ofNanos(1_500_000))).isEqualTo("1.5ms");
    }

    @Test
    @DisplayName("a TCP fault matches the port both ways on input, output and forward; limit counts conntrack's bytes")
    void tcpFaults() {
        assertThat(FaultRules.tcpFaultTable("t", "eth0", FaultRules.TcpFault.RESET, 8080, 0))
                .isEqualTo("table inet t {\n"
                        + "  chain input {\n    type filter hook input priority 0; policy accept;\n"
                        + "    iifname \"eth0\" tcp dport 8080 tcp flags & rst == 0 reject with tcp reset\n"
                        + "    iifname \"eth0\" tcp sport 8080 tcp flags & rst == 0 reject with tcp reset\n  }\n"
                        + "  chain output {\n    type filter hook output priority 0; policy accept;\n"
                        + "    oifname \"eth0\" tcp dport 8080 tcp flags & rst == 0 reject with tcp reset\n"
                        + "    oifname \"eth0\" tcp sport 8080 tcp flags & rst == 0 reject with tcp reset\n  }\n"
                        + "  chain forward {\n    type filter hook forward priority 0; policy accept;\n"
                        + "    iifname \"eth0\" tcp dport 8080 tcp flags & rst == 0 reject with tcp reset\n"
                        + "    iifname \"eth0\" tcp sport 8080 tcp flags & rst == 0 reject with tcp reset\n"
                        + "    oifname \"eth0\" tcp dport 8080 tcp flags & rst == 0 reject with tcp reset\n"
                        + "    oifname \"eth0\" tcp sport 8080 tcp flags & rst == 0 reject with tcp reset\n  }\n}\n");
        assertThat(FaultRules.tcpFaultTable("t", "eth0", FaultRules.TcpFault.SILENCE, 8080, 0))
                .contains("oifname \"eth0\" tcp dport 8080 drop\n")
                .doesNotContain("reject");
        assertThat(FaultRules.tcpFaultTable("t", "eth0", FaultRules.TcpFault.LIMIT, 8080, 5000))
                .contains(
                        "iifname \"eth0\" tcp sport 8080 tcp flags & rst == 0 ct bytes > 5000 reject with tcp reset\n");
    }

    @Test
    @DisplayName("link state, MTU and rate are argv lists; tbf's burst is 10 ms of the rate, at least 4 KB")
    void argv() {
        assertThat(FaultRules.linkState("a-nl1", "eth0", false))
                .containsExactly("-n", "a-nl1", "link", "set", "dev", "eth0", "down");
        assertThat(FaultRules.linkMtu("a-nl1", "eth0", 1280))
                .containsExactly("-n", "a-nl1", "link", "set", "dev", "eth0", "mtu", "1280");
        assertThat(FaultRules.rateLimit("eth0", "100mbit"))
                .containsExactly(
                        "tc", "qdisc", "replace", "dev", "eth0", "root", "tbf", "rate", "100mbit", "burst", "125000",
                        "latency", "50ms");
        assertThat(FaultRules.rateLimit("eth0", "1mbit")).contains("4096");
        assertThat(FaultRules.routeReplace("default", "10.0.0.1", "eth0", false, false, 0))
                .isEqualTo("route replace default via 10.0.0.1 dev eth0");
        assertThat(FaultRules.routeReplace("10.1.0.0/16", null, "eth0", false, false, 0))
                .isEqualTo("route replace 10.1.0.0/16 dev eth0");
        assertThat(FaultRules.routeReplace("default", "fd00::1", "eth0", true, true, 1024))
                .isEqualTo("route replace ::/0 via fd00::1 dev eth0 onlink metric 1024");
        assertThat(FaultRules.rateClear("eth0")).containsExactly("tc", "qdisc", "del", "dev", "eth0", "root");
    }

    @Test
    @DisplayName("arguments are refused with the call, the rule and an example")
    void refusals() {
        assertThat(FaultRules.loss("x", 0)).isZero();
        assertThat(FaultRules.loss("x", 100)).isEqualTo(100);
        assertThatThrownBy(() -> FaultRules.loss("lab.link(\"a\", \"eth0\").loss(NaN)", Double.NaN))
                .hasMessage(
                        "lab.link(\"a\", \"eth0\").loss(NaN) is refused: loss is a percentage, 0-100 (0 removes the loss);"
                                + " pass e.g. loss(30). Nothing was changed.");
        assertThatThrownBy(() -> FaultRules.loss("x", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FaultRules.rate("x", "10mbit")).isEqualTo("10mbit");
        assertThatThrownBy(() -> FaultRules.rate("x", "10 mbit"))
                .hasMessageContaining("such as 10mbit; pass e.g. rate(\"1mbit\")");
        assertThatThrownBy(() -> FaultRules.rate("x", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FaultRules.mtu("x", 68)).isEqualTo(68);
        assertThatThrownBy(() -> FaultRules.mtu("x", 65536))
                .hasMessageContaining("MTU must be 68-65535 (IPv6 needs at least 1280)");
    }

    @Test
    @DisplayName("percentages read as people write them")
    void percent() {
        assertThat(FaultRules.percent(30)).isEqualTo("30%");
        assertThat(FaultRules.percent(2.5)).isEqualTo("2.5%");
    }
}
