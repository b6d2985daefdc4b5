package dev.netnslab.internal.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.InterfaceAddress;
import dev.netnslab.Neighbour;
import dev.netnslab.internal.iproute.IpJson;
import dev.netnslab.internal.iproute.LinkDetail;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The walk over state snapshots, no kernel: the two-node routed lab of the examples (c1 behind
 * node1's bridge, c2 behind node2's, the nodes on the host's underlay), broken one way at a time.
 * The lookups are what {@code ip -json route get} printed for the same lab.
 */
class PathWalkTest {

    private static final String C1_TO_C2 =
            "[{\"dst\":\"172.16.1.2\",\"gateway\":\"172.16.0.1\",\"dev\":\"eth0\",\"prefsrc\":\"172.16.0.2\",\"flags\":[],\"uid\":0,\"cache\":[]}]";

    /** The healthy lab; each test breaks one thing. */
    private static FakeView twoNodes() {
        FakeView view = new FakeView();
        view.ns("host")
                .link("underlay", 2, "0a:00:00:00:00:01", "bridge", null, "UP", "LOWER_UP")
                .link("node1-eth0", 3, "0a:00:00:00:00:02", "veth", "underlay", "UP", "LOWER_UP")
                .link("node2-eth0", 4, "0a:00:00:00:00:03", "veth", "underlay", "UP", "LOWER_UP");
        view.ns("node1")
                .address("eth0", "10.0.0.10")
                .address("br0", "172.16.0.1")
                .link("eth0", 2, "0e:00:00:00:01:01", "veth", null, "UP", "LOWER_UP")
                .link("br0", 3, "0e:00:00:00:01:02", "bridge", null, "UP", "LOWER_UP")
                .link("c1-port", 4, "0e:00:00:00:01:03", "veth", "br0", "UP", "LOWER_UP")
                .neighbour("10.0.0.20", "eth0", "0e:00:00:00:02:01", "REACHABLE")
                .neighbour("172.16.0.2", "br0", "0c:00:00:00:00:01", "REACHABLE")
                .sysctl("net/ipv4/conf/br0/forwarding", "1")
                .sysctl("net/ipv4/conf/eth0/forwarding", "1");
        view.ns("node2")
                .address("eth0", "10.0.0.20")
                .address("br0", "172.16.1.1")
                .link("eth0", 2, "0e:00:00:00:02:01", "veth", null, "UP", "LOWER_UP")
                .link("br0", 3, "0e:00:00:00:02:02", "bridge", null, "UP", "LOWER_UP")
                .link("c2-port", 4, "0e:00:00:00:02:03", "veth", "br0", "UP", "LOWER_UP")
                .neighbour("10.0.0.10", "eth0", "0e:00:00:00:01:01", "REACHABLE")
                .neighbour("172.16.1.2", "br0", "0c:00:00:00:00:02", "REACHABLE")
                .sysctl("net/ipv4/conf/eth0/forwarding", "1")
                .sysctl("net/ipv4/conf/br0/forwarding", "1");
        view.ns("c1")
                .address("eth0", "172.16.0.2")
                .link("eth0", 2, "0c:00:00:00:00:01", "veth", null, "UP", "LOWER_UP")
                .neighbour("172.16.0.1", "eth0", "0e:00:00:00:01:02", "REACHABLE");
        view.ns("c2")
                .address("eth0", "172.16.1.2")
                .link("eth0", 2, "0c:00:00:00:00:02", "veth", null, "UP", "LOWER_UP")
                .neighbour("172.16.1.1", "eth0", "0e:00:00:00:02:02", "REACHABLE");

        view.route("c1", "172.16.1.2", null, null, C1_TO_C2);
        view.route(
                "node1",
                "172.16.1.2",
                "172.16.0.2",
                "br0",
                "[{\"dst\":\"172.16.1.2\",\"gateway\":\"10.0.0.20\",\"dev\":\"eth0\",\"iif\":\"br0\"}]");
        view.route(
                "node2",
                "172.16.1.2",
                "172.16.0.2",
                "eth0",
                "[{\"dst\":\"172.16.1.2\",\"dev\":\"br0\",\"iif\":\"eth0\"}]");
        view.route(
                "c2",
                "172.16.1.2",
                "172.16.0.2",
                "eth0",
                "[{\"type\":\"local\",\"dst\":\"172.16.1.2\",\"dev\":\"lo\",\"iif\":\"eth0\"}]");
        view.route(
                "c2",
                "172.16.0.2",
                "172.16.1.2",
                null,
                "[{\"dst\":\"172.16.0.2\",\"from\":\"172.16.1.2\",\"gateway\":\"172.16.1.1\",\"dev\":\"eth0\"}]");
        view.route(
                "node2",
                "172.16.0.2",
                "172.16.1.2",
                "br0",
                "[{\"dst\":\"172.16.0.2\",\"gateway\":\"10.0.0.10\",\"dev\":\"eth0\",\"iif\":\"br0\"}]");
        view.route(
                "node1",
                "172.16.0.2",
                "172.16.1.2",
                "eth0",
                "[{\"dst\":\"172.16.0.2\",\"dev\":\"br0\",\"iif\":\"eth0\"}]");
        view.route(
                "c1",
                "172.16.0.2",
                "172.16.1.2",
                "eth0",
                "[{\"type\":\"local\",\"dst\":\"172.16.0.2\",\"dev\":\"lo\",\"iif\":\"eth0\"}]");
        return view;
    }

    private static String diagnose(FakeView view) {
        return new PathWalk(view).diagnose("c1", "172.16.1.2").text("c1");
    }

    @Test
    @DisplayName("a healthy path arrives there and back, naming every stop")
    void healthyPathArrivesBothWays() {
        assertThat(diagnose(twoNodes()))
                .contains("there: c1 -> node1 (via eth0) -> node2 (via eth0) -> c2 (via br0): arrives")
                .contains("back:  c2 -> node2 (via eth0) -> node1 (via eth0) -> c1 (via br0): arrives")
                .contains("look fine");
    }

    @Test
    @DisplayName("a stop through a tunnel to another kernel says so, with the VNI and the underlay")
    void namesTheTunnel() {
        FakeView view = twoNodes();
        view.tunnels.put(
                "node1:eth0",
                "through the tunnel to kernel 'remote' (VXLAN VNI 1048577, underlay 10.231.0.1 -> 10.231.0.2)");
        assertThat(diagnose(view))
                .contains("there: c1 -> node1 (via eth0) -> node2 (via eth0, through the tunnel to kernel 'remote'"
                        + " (VXLAN VNI 1048577, underlay 10.231.0.1 -> 10.231.0.2)) -> c2 (via br0): arrives")
                .contains("back:  c2 -> node2 (via eth0) -> node1 (via eth0) -> c1 (via br0): arrives");
    }

    @Test
    @DisplayName("a path the routes carry but a partition of the test cuts is broken there, naming the partition")
    void namesTheTestsOwnPartition() {
        FakeView view = twoNodes();
        view.faults.put("c2>c1", List.of("cut by partitionOneWay(c2, c1), active since 19:50:01.123"));
        assertThat(diagnose(view))
                .contains("there: c1 -> node1 (via eth0) -> node2 (via eth0) -> c2 (via br0): arrives")
                .endsWith("back:  c2 -> node2 (via eth0) -> node1 (via eth0) -> c1 (via br0):"
                        + " cut by partitionOneWay(c2, c1), active since 19:50:01.123 (the reply to c1)");
        assertThat(view.asked).contains("c1>c2 [c1:eth0, node1:br0, node1:eth0, node2:eth0, node2:br0, c2:eth0]");
    }

    @Nested
    @DisplayName("names the first stop that breaks")
    class Breaks {

        @Test
        void missingForwardRoute() {
            FakeView view = twoNodes();
            view.routeFails("node1", "172.16.1.2", "172.16.0.2", "br0", "RTNETLINK answers: Network is unreachable");
            assertThat(diagnose(view))
                    .endsWith("there: c1 -> node1 (via eth0): node1 has no route to 172.16.1.2")
                    .doesNotContain("back:");
        }

        @Test
        void missingRouteAtTheSource() {
            FakeView view = twoNodes();
            view.routeFails("c1", "172.16.1.2", null, null, "RTNETLINK answers: Network is unreachable");
            assertThat(diagnose(view)).endsWith("there: c1: c1 has no route to 172.16.1.2");
        }

        @Test
        void missingReturnRoute() {
            FakeView view = twoNodes();
            view.routeFails("node2", "172.16.0.2", "172.16.1.2", "br0", "RTNETLINK answers: Network is unreachable");
            assertThat(diagnose(view))
                    .contains("there: c1 -> node1 (via eth0) -> node2 (via eth0) -> c2 (via br0): arrives")
                    .endsWith("back:  c2 -> node2 (via eth0): node2 has no route to 172.16.0.2 (the reply to c1)");
        }

        @Test
        void forwardingOff() {
            FakeView view = twoNodes();
            view.routeFails("node1", "172.16.1.2", "172.16.0.2", "br0", "RTNETLINK answers: No route to host");
            view.ns("node1").sysctl("net/ipv4/conf/br0/forwarding", "0");
            assertThat(diagnose(view))
                    .endsWith("c1 -> node1 (via eth0): forwarding is off in node1 (net.ipv4.conf.br0.forwarding=0)");
        }

        @Test
        void unresolvedNeighbour() {
            FakeView view = twoNodes();
            view.ns("c1").neighbours.clear();
            view.ns("c1").neighbour("172.16.0.1", "eth0", "", "INCOMPLETE");
            view.ns("node1").addresses.removeIf(a -> a.address().equals("172.16.0.1"));
            assertThat(diagnose(view))
                    .endsWith("there: c1: c1 could not resolve 172.16.0.1 on eth0 (neighbour INCOMPLETE): "
                            + "no namespace of the lab holds 172.16.0.1, and nothing answered for it");
        }

        @Test
        void linkWithoutCarrier() {
            FakeView view = twoNodes();
            view.ns("c2")
                    .links
                    .set(
                            0,
                            new LinkDetail(
                                    "eth0", 2, List.of("NO-CARRIER", "UP"), "0c:00:00:00:00:02", "veth", null, 4, 0));
            assertThat(diagnose(view))
                    .endsWith("c1 -> node1 (via eth0) -> node2 (via eth0) -> c2 (via br0): "
                            + "c2's eth0 has no carrier (the other end of the link is down)");
        }

        @Test
        void linkAdministrativelyDown() {
            FakeView view = twoNodes();
            view.ns("node1")
                    .links
                    .set(0, new LinkDetail("eth0", 2, List.of("BROADCAST"), "0e:00:00:00:01:01", "veth", null, 3, 0));
            assertThat(diagnose(view)).endsWith("c1 -> node1 (via eth0): node1's eth0 is down");
        }

        @Test
        void reversePathFilter() {
            FakeView view = twoNodes();
            view.routeFails("node2", "172.16.1.2", "172.16.0.2", "eth0", "RTNETLINK answers: Invalid argument");
            view.ns("node2").sysctl("net/ipv4/conf/all/rp_filter", "1").sysctl("net/ipv4/conf/eth0/rp_filter", "0");
            view.route(
                    "node2",
                    "172.16.0.2",
                    null,
                    null,
                    "[{\"dst\":\"172.16.0.2\",\"gateway\":\"172.16.1.9\",\"dev\":\"br0\"}]");
            assertThat(diagnose(view))
                    .endsWith("node2 (via eth0): rp_filter=1 in node2 drops it: it arrives on eth0 from 172.16.0.2, "
                            + "but its route back to 172.16.0.2 leaves via br0");
        }

        @Test
        void firewallRuleThatCountedTheProbe() {
            FakeView view = twoNodes();
            view.drops.put("node2", List.of("iptables -t filter -A FORWARD -d 172.16.1.2/32 -j DROP (1 packet)"));
            assertThat(diagnose(view))
                    .endsWith("c1 -> node1 (via eth0) -> node2 (via eth0): node2's firewall dropped it: "
                            + "iptables -t filter -A FORWARD -d 172.16.1.2/32 -j DROP (1 packet)");
        }

        @Test
        @DisplayName("a bridge port on the way that is not forwarding, found through the other end of the veth")
        void bridgePortNotForwarding() {
            FakeView view = twoNodes();
            view.ns("node2")
                    .links
                    .set(
                            0,
                            new LinkDetail(
                                    "eth0", 2, List.of("UP", "LOWER_UP"), "0e:00:00:00:02:01", "veth", null, 4, 0));
            view.ns("node2").peer(0, "host");
            view.ns("host").port("node1-eth0", "forwarding").port("node2-eth0", "disabled");
            view.ns("node1").neighbours.set(0, new Neighbour("10.0.0.20", "eth0", "", List.of("INCOMPLETE")));
            assertThat(diagnose(view))
                    .endsWith("c1 -> node1 (via eth0) -> node2 (via eth0): host's node2-eth0 (the other end of "
                            + "node2's eth0) is a port of bridge underlay in state disabled, not forwarding");
        }

        @Test
        void routingLoop() {
            FakeView view = twoNodes();
            view.route(
                    "node2",
                    "172.16.1.2",
                    "172.16.0.2",
                    "eth0",
                    "[{\"dst\":\"172.16.1.2\",\"gateway\":\"10.0.0.10\",\"dev\":\"eth0\",\"iif\":\"eth0\"}]");
            assertThat(diagnose(view))
                    .endsWith("c1 -> node1 (via eth0) -> node2 (via eth0) -> node1 (via eth0): "
                            + "routing loop: the packet is back in node1");
        }
    }

    @Nested
    @DisplayName("finds the next stop")
    class NextStop {

        @Test
        @DisplayName("by the MAC a gateway resolved to, when no namespace holds the gateway (proxy ARP)")
        void byResolvedMac() {
            FakeView view = new FakeView();
            view.ns("pod")
                    .address("eth0", "10.65.0.2")
                    .link("eth0", 2, "0c:00:00:00:00:09", "veth", null, "UP", "LOWER_UP")
                    .neighbour("169.254.1.1", "eth0", "ee:ee:ee:ee:ee:ee", "REACHABLE");
            view.ns("node")
                    .address("eth0", "10.0.0.10")
                    .link("cali1", 5, "ee:ee:ee:ee:ee:ee", "veth", null, "UP", "LOWER_UP")
                    .sysctl("net/ipv4/conf/cali1/forwarding", "1");
            view.route(
                    "pod",
                    "10.0.0.10",
                    null,
                    null,
                    "[{\"dst\":\"10.0.0.10\",\"gateway\":\"169.254.1.1\",\"dev\":\"eth0\",\"prefsrc\":\"10.65.0.2\"}]");
            view.route(
                    "node",
                    "10.0.0.10",
                    "10.65.0.2",
                    "cali1",
                    "[{\"type\":\"local\",\"dst\":\"10.0.0.10\",\"dev\":\"lo\",\"iif\":\"cali1\"}]");
            view.routeFails("node", "10.65.0.2", "10.0.0.10", null, "RTNETLINK answers: Network is unreachable");
            assertThat(new PathWalk(view).diagnose("pod", "10.0.0.10").text("pod"))
                    .contains("there: pod -> node (via eth0): arrives")
                    .endsWith("back:  node: node has no route to 10.65.0.2 (the reply to pod)");
        }

        @Test
        @DisplayName("by the other end of the veth, when the gateway is unresolved and nobody holds it")
        void byVethPeer() {
            FakeView view = new FakeView();
            view.ns("pod")
                    .address("eth0", "10.65.0.2")
                    .link("eth0", 2, "0c:00:00:00:00:09", 7, 0, "UP", "LOWER_UP")
                    .peer(0, "node");
            view.ns("node")
                    .link("cali1", 7, "ee:ee:ee:ee:ee:ee", "veth", null, "UP", "LOWER_UP")
                    .sysctl("net/ipv4/conf/cali1/forwarding", "0");
            view.route(
                    "pod",
                    "10.0.0.10",
                    null,
                    null,
                    "[{\"dst\":\"10.0.0.10\",\"gateway\":\"169.254.1.1\",\"dev\":\"eth0\",\"prefsrc\":\"10.65.0.2\"}]");
            view.route(
                    "node",
                    "10.0.0.10",
                    "10.65.0.2",
                    "cali1",
                    "[{\"dst\":\"10.0.0.10\",\"dev\":\"eth0\",\"iif\":\"cali1\"}]");
            assertThat(new PathWalk(view).diagnose("pod", "10.0.0.10").text("pod"))
                    .endsWith(
                            "there: pod -> node (via eth0): forwarding is off in node (net.ipv4.conf.cali1.forwarding=0)");
        }
    }

    @Test
    @DisplayName("IPv6: compares addresses in canonical form and checks IPv6 forwarding")
    void ipv6() {
        FakeView view = new FakeView();
        view.ns("a")
                .address("eth0", "fd00:50::2")
                .link("eth0", 2, "0a:00:00:00:00:0a", "veth", null, "UP", "LOWER_UP")
                .neighbour("fd00:50::1", "eth0", "0a:00:00:00:00:0b", "REACHABLE");
        view.ns("r")
                .address("ra", "fd00:50::1")
                .link("ra", 2, "0a:00:00:00:00:0b", "veth", null, "UP", "LOWER_UP")
                .sysctl("net/ipv6/conf/all/forwarding", "0");
        view.route(
                "a",
                "fd00:51::2",
                null,
                null,
                "[{\"dst\":\"fd00:51::2\",\"from\":\"::\",\"gateway\":\"fd00:50::1\",\"dev\":\"eth0\",\"prefsrc\":\"fd00:50::2\",\"metric\":1024}]");
        view.route(
                "r",
                "fd00:51::2",
                "fd00:50::2",
                "ra",
                "[{\"dst\":\"fd00:51::2\",\"from\":\"fd00:50::2\",\"dev\":\"rb\",\"iif\":\"ra\"}]");
        assertThat(new PathWalk(view).diagnose("a", "fd00:51:0:0::2").text("a"))
                .endsWith("there: a -> r (via eth0): forwarding is off in r (net.ipv6.conf.all.forwarding=0)");
    }

    /** A lab made of snapshots: what each namespace holds, and what its route lookups answer. */
    static final class FakeView implements PathView {

        final Map<String, FakeNamespace> namespaces = new LinkedHashMap<>();
        final Map<String, Lookup> routes = new HashMap<>();
        final Map<String, List<String>> drops = new HashMap<>();
        final Map<String, List<String>> faults = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        final Map<String, String> tunnels = new HashMap<>();

        @Override
        public java.util.Optional<String> tunnel(String ns, String device) {
            return java.util.Optional.ofNullable(tunnels.get(ns + ":" + device));
        }

        @Override
        public List<String> faults(String from, String to, List<String> devices) {
            asked.add(from + ">" + to + " " + devices);
            return faults.getOrDefault(from + ">" + to, List.of());
        }

        FakeNamespace ns(String name) {
            return namespaces.computeIfAbsent(name, n -> new FakeNamespace());
        }

        void route(String ns, String target, String from, String iif, String json) {
            routes.put(key(ns, target, from, iif), Lookup.of(IpJson.routeLookup(json)));
        }

        void routeFails(String ns, String target, String from, String iif, String error) {
            routes.put(key(ns, target, from, iif), Lookup.failed(error));
        }

        private static String key(String ns, String target, String from, String iif) {
            return ns + " " + target + " from " + from + " iif " + iif;
        }

        @Override
        public List<String> namespaces() {
            return List.copyOf(namespaces.keySet());
        }

        @Override
        public Lookup routeGet(String ns, String target, String from, String inputDevice) {
            return routes.getOrDefault(
                    key(ns, target, from, inputDevice),
                    Lookup.failed("no snapshot for " + key(ns, target, from, inputDevice)));
        }

        @Override
        public List<LinkDetail> links(String ns) {
            return ns(ns).links;
        }

        @Override
        public List<InterfaceAddress> addresses(String ns) {
            return ns(ns).addresses;
        }

        @Override
        public List<Neighbour> neighbours(String ns) {
            return ns(ns).neighbours;
        }

        @Override
        public Map<String, String> portStates(String ns) {
            return ns(ns).ports;
        }

        @Override
        public Map<Integer, String> peers(String ns) {
            return ns(ns).peers;
        }

        @Override
        public String sysctl(String ns, String key) {
            return ns(ns).sysctls.get(key);
        }

        @Override
        public List<String> firewallDrops(String ns) {
            return drops.getOrDefault(ns, List.of());
        }
    }

    static final class FakeNamespace {
        final List<LinkDetail> links = new ArrayList<>();
        final List<InterfaceAddress> addresses = new ArrayList<>();
        final List<Neighbour> neighbours = new ArrayList<>();
        final Map<Integer, String> peers = new HashMap<>();
        final Map<String, String> sysctls = new HashMap<>();
        final Map<String, String> ports = new HashMap<>();

        FakeNamespace link(String name, int index, String mac, String kind, String master, String... flags) {
            links.add(new LinkDetail(name, index, List.of(flags), mac, kind, master, -1, -1));
            return this;
        }

        FakeNamespace link(String name, int index, String mac, int peerIndex, int peerNsId, String... flags) {
            links.add(new LinkDetail(name, index, List.of(flags), mac, "veth", null, peerIndex, peerNsId));
            return this;
        }

        FakeNamespace address(String iface, String address) {
            addresses.add(new InterfaceAddress(iface, address.contains(":") ? "inet6" : "inet", address, 24));
            return this;
        }

        FakeNamespace neighbour(String address, String device, String mac, String state) {
            neighbours.add(new Neighbour(address, device, mac, List.of(state)));
            return this;
        }

        FakeNamespace port(String name, String state) {
            ports.put(name, state);
            return this;
        }

        FakeNamespace peer(int id, String name) {
            peers.put(id, name);
            return this;
        }

        FakeNamespace sysctl(String key, String value) {
            sysctls.put(key, value);
            return this;
        }
    }
}
