package dev.netnslab.internal.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.InterfaceAddress;
import dev.netnslab.Neighbour;
import dev.netnslab.NetInterface;
import dev.netnslab.Route;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ReportText: a namespace's state as a person reads it")
class ReportTextTest {

    private static final NetInterface VETH2 = new NetInterface(
            "veth2",
            2,
            "UP",
            List.of("BROADCAST", "UP"),
            1500,
            "02:00:00:00:00:02",
            null,
            new NetInterface.Counters(3, 294, 0, 4, 392, 1));

    @Test
    @DisplayName("shows links with counters, addresses with prefixes, routes, neighbours and firewall rules")
    void fullState() {
        NamespaceState state = new NamespaceState(
                "netns1",
                "netns1-nlabcdef",
                List.of(VETH2),
                List.of(
                        new InterfaceAddress("veth2", "inet", "10.200.1.1", 24),
                        new InterfaceAddress("veth2", "inet6", "fe80::1", 64)),
                List.of(new Route("default", "10.200.1.254", "veth2", null, null)),
                List.of(new Neighbour("10.200.1.254", "veth2", "02:00:00:00:00:01", List.of("REACHABLE"))),
                Map.of("iptables-save", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j DROP\nCOMMIT\n"),
                Map.of());
        String text = ReportText.render(
                "State of lab:",
                List.of(state),
                "flowchart LR\n    n0",
                List.of("netns1:veth2 -> /tmp/x.pcap (2 packets)"));
        assertThat(text)
                .contains(
                        "== namespace netns1 (netns1-nlabcdef) ==",
                        "veth2           UP      mtu 1500  02:00:00:00:00:02 flags [BROADCAST, UP]  rx 3 pkts 294 B (0 dropped)  tx 4 pkts 392 B (1 dropped)",
                        "veth2           10.200.1.1/24",
                        "default via 10.200.1.254 dev veth2",
                        "10.200.1.254 dev veth2 lladdr 02:00:00:00:00:01 REACHABLE",
                        "  iptables-save:\n    *filter\n    :INPUT ACCEPT [0:0]\n    -A INPUT -j DROP",
                        "packet captures:\n  netns1:veth2 -> /tmp/x.pcap (2 packets)",
                        "diagram (Mermaid):\n  flowchart LR");
        assertThat(text).as("link-local IPv6 is noise here").doesNotContain("fe80::1");
    }

    @Test
    @DisplayName("an empty section says (none), an unreadable one says why, a one-line tool answer stays on its line")
    void emptyAndBroken() {
        NamespaceState state = new NamespaceState(
                "host",
                "host-nlabcdef",
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                Map.of("nft list ruleset", "(not installed; apt-get install -y nftables to see these rules)"),
                Map.of("links", "namespace is gone"));
        String text = ReportText.render("State:", List.of(state), null, List.of());
        assertThat(text)
                .contains(
                        "links:\n  <could not be read: namespace is gone>",
                        "routes:\n  (none)",
                        "  nft list ruleset: (not installed; apt-get install -y nftables to see these rules)");
        assertThat(text).doesNotContain("packet captures", "diagram");
    }
}
