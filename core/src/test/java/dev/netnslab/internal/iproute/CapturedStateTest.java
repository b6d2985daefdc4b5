package dev.netnslab.internal.iproute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.netnslab.BridgePort;
import dev.netnslab.FdbEntry;
import dev.netnslab.Qdisc;
import dev.netnslab.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Parsing real output, captured from iproute2 6.1 on a namespace with a veth pair, a VXLAN device
 * with a static neighbour and FDB entry, an on-link route, routes in table 100 and a blackhole, a
 * bridge port with hairpin and isolation on, and tbf and htb qdiscs.
 */
class CapturedStateTest {

    static String captured(String name) {
        try (InputStream in = CapturedStateTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName(
            "routes of every table and both families, with gateway, device, scope, src, metric, table, type and flags")
    void routesOfAllTables() {
        List<Route> routes = IpJson.routes(captured("route-table-all.json"));

        assertThat(routes)
                .filteredOn(r -> r.destination().equals("10.70.0.0/24"))
                .extracting(Route::gateway, Route::device, Route::metric, Route::table, Route::source)
                .containsExactly(
                        tuple("10.50.0.2", "ra", 50L, "100", null),
                        tuple("10.50.0.2", "ra", 100L, "main", "10.50.0.1"));
        Route onLink = routes.stream()
                .filter(r -> r.destination().equals("10.60.1.0/24"))
                .findFirst()
                .orElseThrow();
        assertThat(onLink.isOnLink()).isTrue();
        assertThat(onLink).hasToString("10.60.1.0/24 via 10.60.1.0 dev vx0 onlink");
        Route connected = routes.get(1);
        assertThat(connected).hasToString("10.50.0.0/24 dev ra scope link src 10.50.0.1");
        assertThat(connected.protocol()).isEqualTo("kernel");
        assertThat(routes)
                .filteredOn(r -> r.type().equals("blackhole"))
                .extracting(Route::destination, Route::device)
                .containsExactly(tuple("10.80.0.0/16", null));
        Route ipv6 = routes.stream()
                .filter(r -> r.destination().equals("fd00:50::/64"))
                .findFirst()
                .orElseThrow();
        assertThat(ipv6.isIpv6()).isTrue();
        assertThat(ipv6.metric()).isEqualTo(256);
        assertThat(ipv6.table()).isEqualTo("main");
        assertThat(routes)
                .filteredOn(r -> r.table().equals("local"))
                .extracting(Route::type)
                .contains("local", "broadcast", "anycast");
    }

    @Test
    @DisplayName("route get: the next hop and source of an output lookup, the device of an input lookup")
    void routeLookups() {
        RouteLookup out = IpJson.routeLookup(captured("route-get.json"));
        assertThat(out).isEqualTo(new RouteLookup("10.50.1.1", "unicast", "10.50.0.1", "eth0", "10.50.0.2", null));
        assertThat(out.nextHop()).isEqualTo("10.50.0.1");

        RouteLookup in = IpJson.routeLookup(captured("route-get-iif.json"));
        assertThat(in.nextHop()).isEqualTo("10.50.1.1");
        assertThat(in.inputDevice()).isEqualTo("ra");
        assertThat(in.isLocal()).isFalse();
        assertThat(IpJson.routeLookup("[{\"type\":\"local\",\"dst\":\"10.50.1.1\",\"dev\":\"lo\"}]")
                        .isLocal())
                .isTrue();
        assertThatThrownBy(() -> IpJson.routeLookup("[]"))
                .hasMessageContaining("Expected one route from ip -json route get");
    }

    @Test
    @DisplayName("link details: kinds, bridge masters, and where a veth's other end is")
    void linkDetails() {
        assertThat(IpJson.linkDetails(captured("link-detail.json")))
                .extracting(
                        LinkDetail::name,
                        LinkDetail::kind,
                        LinkDetail::master,
                        LinkDetail::peerIndex,
                        LinkDetail::peerNsId)
                .containsExactly(
                        tuple("lo", null, null, -1, -1),
                        tuple("ra", "veth", null, 2, 0),
                        tuple("rb", "veth", null, 2, 1),
                        tuple("vx0", "vxlan", null, -1, -1),
                        tuple("br0", "bridge", null, -1, -1),
                        tuple("p1b", "veth", null, -1, -1),
                        tuple("p1", "veth", "br0", -1, -1));
        assertThat(IpJson.linkDetails(captured("link-detail.json")).get(1).hasCarrier())
                .isTrue();
        assertThat(new LinkDetail("eth0", 2, List.of("NO-CARRIER", "UP"), "", "veth", null, 2, 0).hasCarrier())
                .isFalse();
        assertThat(IpJson.netnsIds(captured("netns-list-id.json"))).isEqualTo(Map.of(0, "h10b-a", 1, "h10b-b"));
    }

    @Test
    @DisplayName("FDB entries: a VXLAN device's static entry with its remote, learned and permanent bridge entries")
    void fdb() {
        List<FdbEntry> entries = BridgeJson.fdb(captured("fdb.json"));

        FdbEntry vxlan = entries.stream()
                .filter(e -> e.device().equals("vx0"))
                .findFirst()
                .orElseThrow();
        assertThat(vxlan)
                .isEqualTo(new FdbEntry("02:42:ac:11:00:03", "vx0", null, "10.50.0.2", List.of("self"), "permanent"));
        assertThat(vxlan).hasToString("02:42:ac:11:00:03 dev vx0 dst 10.50.0.2 self permanent");
        assertThat(vxlan.isPermanent()).isTrue();
        assertThat(entries)
                .filteredOn(e -> "br0".equals(e.master()))
                .extracting(FdbEntry::device)
                .containsOnly("p1");
    }

    @Test
    @DisplayName("bridge ports and their flags; without -d the flags read as the kernel's defaults")
    void bridgePorts() {
        assertThat(BridgeJson.ports(captured("bridge-link-detail.json")))
                .containsExactly(new BridgePort("p1", "br0", "forwarding", true, true, false, true));
        assertThat(BridgeJson.ports(captured("bridge-link.json")))
                .containsExactly(new BridgePort("p1", "br0", "forwarding", false, false, true, true));
    }

    @Test
    @DisplayName("qdiscs with their options")
    void qdiscs() {
        List<Qdisc> qdiscs = TcJson.qdiscs(captured("qdisc.json"));

        assertThat(qdiscs)
                .extracting(Qdisc::device, Qdisc::kind)
                .contains(tuple("rb", "tbf"), tuple("p1", "htb"), tuple("lo", "noqueue"));
        Qdisc tbf =
                qdiscs.stream().filter(q -> q.kind().equals("tbf")).findFirst().orElseThrow();
        assertThat(tbf.root()).isTrue();
        assertThat(tbf.handle()).isEqualTo("8002:");
        assertThat(tbf.options()).containsEntry("rate", "125000").containsEntry("burst", "4096");
    }

    @Test
    @DisplayName("neighbours of both families, permanent ones included")
    void neighbours() {
        assertThat(IpJson.neighbours(captured("neigh.json")))
                .extracting(n -> n.address(), n -> n.device(), n -> n.states())
                .contains(
                        tuple("10.60.1.0", "vx0", List.of("PERMANENT")),
                        tuple("fd00:51::2", "rb", List.of("REACHABLE")));
    }
}
