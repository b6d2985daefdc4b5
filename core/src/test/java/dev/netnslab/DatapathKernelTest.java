package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.internal.settings.Settings;
import dev.netnslab.testing.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Layouts that validation once refused, built on the real kernel and checked both ways, each with
 * a twin that breaks it: the lab series' /32 namespace and its /16 tunnel over /24 bridges, IPv6
 * (with and without DAD), macvlan pods, policy routing, isolated bridge ports, and the link types
 * this kernel may lack.
 */
@Tag("kernel")
@DisplayName("Real datapath layouts on the local kernel")
class DatapathKernelTest {

    private final List<String> labIds = new ArrayList<>();

    private Lab start(LabSpec spec) {
        Lab lab = Lab.start(spec, Kernel.backend(), Settings.from(key -> Optional.empty()));
        labIds.add(lab.id());
        return lab;
    }

    @AfterEach
    void nothingLeftBehind() {
        assertThat(Kernel.namespacesOf(labIds))
                .as("namespaces of this test's labs")
                .isEmpty();
    }

    @Nested
    @DisplayName("the container-networking lab series")
    class LabSeries {

        /** Part 1: the namespace has a /32 and a default route via its own address; the host has a /32 host route on its veth. */
        LabSpec part1(boolean hostRoute) {
            LabSpec.Builder spec = LabSpec.builder()
                    .namespace("con")
                    .veth("host:veth0", "con:ceth0")
                    .address("con", "ceth0", "172.16.0.2/32")
                    .route("con:ceth0", "default", "172.16.0.2")
                    .address("host", "veth0", "172.16.0.1/32");
            return (hostRoute ? spec.route("host:veth0", "172.16.0.2") : spec).build();
        }

        @Test
        @DisplayName("Part 1: a /32 namespace with a default via its own address reaches the host and back")
        void part1() {
            try (Lab lab = start(part1(true))) {
                assertThat(lab.namespace("con")).canPing("172.16.0.1");
                assertThat(lab.host()).canPing("172.16.0.2");
            }
        }

        @Test
        @DisplayName("Part 1 without the host route: neither side reaches the other")
        void part1WithoutHostRoute() {
            try (Lab lab = start(part1(false))) {
                assertThat(lab.host()).cannotPing("172.16.0.2");
                assertThat(lab.namespace("con")).cannotPing("172.16.0.1");
            }
        }

        /**
         * Part 4: each node's containers hang off a /24 bridge, and a tunnel device with a /16 spans the
         * nodes. The series tunnels IP over TUN, which this kernel lacks; a VXLAN device with proxy ARP
         * carries the same /16 here.
         */
        LabSpec part4(boolean proxyArp) {
            return LabSpec.builder()
                    .node("node1", "10.0.0.10/24", "172.16.0.1/24")
                    .node("node2", "10.0.0.20/24", "172.16.1.1/24")
                    .container("c1", "node1", "172.16.0.2/24")
                    .container("c2", "node2", "172.16.1.2/24")
                    .vxlan("node1", "tun0", 42, "eth0", "10.0.0.20")
                    .vxlan("node2", "tun0", 42, "eth0", "10.0.0.10")
                    .address("node1", "tun0", "172.16.0.100/16")
                    .address("node2", "tun0", "172.16.1.100/16")
                    .proxyArp("node1", "tun0", proxyArp)
                    .proxyArp("node2", "tun0", proxyArp)
                    .build();
        }

        @Test
        @DisplayName("Part 4: a /16 tunnel over /24 bridges joins containers on two nodes, both ways")
        void part4() {
            try (Lab lab = start(part4(true))) {
                assertThat(lab.namespace("c1")).canPing("172.16.1.2");
                assertThat(lab.namespace("c2")).canPing("172.16.0.2");
                assertThat(lab.namespace("c1")).canPing("172.16.1.100");
            }
        }

        @Test
        @DisplayName("Part 4 without proxy ARP on the tunnel: the containers lose each other")
        void part4WithoutProxyArp() {
            try (Lab lab = start(part4(false))) {
                assertThat(lab.namespace("c1")).cannotPing("172.16.1.2");
                assertThat(lab.namespace("c2")).cannotPing("172.16.0.2");
            }
        }
    }

    @Nested
    @DisplayName("two tenants with one subnet")
    class Tenants {

        /** Tenants t1 and t2, each behind its own router, both on 10.0.0.0/24 with the same addresses. */
        LabSpec tenants(boolean secondRouterAddressed) {
            LabSpec.Builder spec = LabSpec.builder()
                    .namespace("t1")
                    .namespace("r1")
                    .namespace("t2")
                    .namespace("r2")
                    .veth("t1:eth0", "r1:eth0")
                    .veth("t2:eth0", "r2:eth0")
                    .address("t1", "eth0", "10.0.0.2/24")
                    .address("r1", "eth0", "10.0.0.1/24")
                    .address("t2", "eth0", "10.0.0.2/24");
            return (secondRouterAddressed ? spec.address("r2", "eth0", "10.0.0.1/24") : spec).build();
        }

        @Test
        @DisplayName("each tenant reaches its own router at the same address, both ways")
        void sameSubnetTwice() {
            try (Lab lab = start(tenants(true))) {
                assertThat(lab.namespace("t1")).canPing("10.0.0.1");
                assertThat(lab.namespace("t2")).canPing("10.0.0.1");
                assertThat(lab.namespace("r1")).canPing("10.0.0.2");
                assertThat(lab.namespace("r2")).canPing("10.0.0.2");
            }
        }

        @Test
        @DisplayName("the other tenant's router does not answer for a router that lacks the address")
        void tenantsAreSeparate() {
            try (Lab lab = start(tenants(false))) {
                assertThat(lab.namespace("t1")).canPing("10.0.0.1");
                assertThat(lab.namespace("t2")).cannotPing("10.0.0.1");
            }
        }
    }

    @Nested
    @DisplayName("IPv6")
    class Ipv6 {

        /** a and b on two sides of router r; a's IPv6 default is r's link-local address, b's a global one. */
        LabSpec routed(boolean forwarding, AddressOptions options) {
            return LabSpec.builder()
                    .namespace("a")
                    .namespace("r")
                    .namespace("b")
                    .veth("a:eth0", "r:left")
                    .veth("b:eth0", "r:right")
                    .address("a", "eth0", "fd00:1::2/64", options)
                    .address("r", "left", "fd00:1::1/64", options)
                    .address("r", "left", "fe80::1/64", options)
                    .address("r", "right", "fd00:2::1/64", options)
                    .address("b", "eth0", "fd00:2::2/64", options)
                    .route("a:eth0", "default", "fe80::1")
                    .route("b", "default", "fd00:2::1")
                    .ipv6Forward("r", forwarding)
                    .build();
        }

        @Test
        @DisplayName("the first ping after the build passes both ways through a router, via a link-local gateway")
        void firstPingDoesNotRaceDad() {
            try (Lab lab = start(routed(true, AddressOptions.none()))) {
                assertThat(lab.namespace("a")).as("a -> b, first packet").canPing("fd00:2::2");
                assertThat(lab.namespace("b")).as("b -> a").canPing("fd00:1::2");
                assertThat(lab.namespace("a")
                                .exec("ip", "-6", "addr", "show", "tentative")
                                .stdout())
                        .isBlank();
            }
        }

        @Test
        @DisplayName(
                "the single-namespace lab takes an IPv6 address, with the host's address and default route to match")
        void singleNamespace() {
            try (Lab lab = start(LabSpec.singleNamespace("v6", "fd00:200::1", null))) {
                assertThat(lab.namespace("v6").address()).isEqualTo("fd00:200::1");
                assertThat(lab.namespace("v6")).canPing("fd00:200::ffff:ffff:ffff:fffe");
                assertThat(lab.host()).canPing("fd00:200::1");
                assertThat(lab.namespace("v6")
                                .exec("ip", "-6", "route", "show", "default")
                                .stdout())
                        .contains("default via fd00:200::ffff:ffff:ffff:fffe dev veth2");
            }
        }

        @Test
        @DisplayName("with DAD asked for, the build waits until nothing is tentative, and the first ping passes")
        void dadWaits() {
            try (Lab lab = start(routed(true, AddressOptions.dad()))) {
                // The addresses went through DAD (no nodad flag), which takes the kernel about a second;
                // none is tentative any more, so the build waited for it.
                assertThat(lab.namespace("r")
                                .exec("ip", "-6", "addr", "show", "dev", "left")
                                .stdout())
                        .contains("inet6 fd00:1::1/64")
                        .doesNotContain("nodad");
                assertThat(lab.namespace("r")
                                .exec("ip", "-6", "addr", "show", "tentative")
                                .stdout())
                        .isBlank();
                assertThat(lab.namespace("a")).as("a -> b, first packet").canPing("fd00:2::2");
                assertThat(lab.namespace("b")).as("b -> a").canPing("fd00:1::2");
            }
        }

        @Test
        @DisplayName("without IPv6 forwarding on the router, neither side reaches the other")
        void noForwarding() {
            try (Lab lab = start(routed(false, AddressOptions.none()))) {
                assertThat(lab.namespace("a")).cannotPing("fd00:2::2");
                assertThat(lab.namespace("b")).cannotPing("fd00:1::2");
                assertThat(lab.namespace("a"))
                        .as("the router itself still answers")
                        .canPing("fd00:1::1");
            }
        }
    }

    @Nested
    @DisplayName("devices")
    class Devices {

        /** Two pods with macvlan devices on one parent veth end of the node. */
        LabSpec macvlans(String mode) {
            return LabSpec.builder()
                    .namespace("node")
                    .namespace("pod1")
                    .namespace("pod2")
                    .veth("host:uplink", "node:eth0")
                    .macvlan("pod1:eth0", "node:eth0", mode)
                    .macvlan("pod2:eth0", "node:eth0", mode)
                    .address("pod1", "eth0", "10.30.0.2/24")
                    .address("pod2", "eth0", "10.30.0.3/24")
                    .build();
        }

        @Test
        @DisplayName("macvlan pods in bridge mode reach each other through their parent, both ways")
        void macvlanBridge() {
            try (Lab lab = start(macvlans("bridge"))) {
                assertThat(lab.namespace("pod1")).canPing("10.30.0.3");
                assertThat(lab.namespace("pod2")).canPing("10.30.0.2");
                assertThat(lab.namespace("pod1")
                                .exec("ip", "-d", "link", "show", "eth0")
                                .stdout())
                        .contains("macvlan mode bridge");
            }
        }

        @Test
        @DisplayName("macvlan pods in private mode do not")
        void macvlanPrivate() {
            try (Lab lab = start(macvlans("private"))) {
                assertThat(lab.namespace("pod1")).cannotPing("10.30.0.3");
                assertThat(lab.namespace("pod2")).cannotPing("10.30.0.2");
            }
        }

        @Test
        @DisplayName("interface names that are ip keywords (up, type, dev) work: the kernel takes them")
        void keywordNames() {
            try (Lab lab = start(LabSpec.builder()
                    .namespace("a")
                    .bridge("a", "up")
                    .veth("host:type", "a:dev")
                    .master("a", "dev", "up")
                    .mtu("a", "dev", 1400)
                    .address("host", "type", "10.40.0.1/24")
                    .address("a", "up", "10.40.0.2/24")
                    .build())) {
                assertThat(lab.host()).canPing("10.40.0.2");
                assertThat(lab.namespace("a")).canPing("10.40.0.1");
            }
        }

        @Test
        @DisplayName("isolated bridge ports reach the others but not each other")
        void isolatedPorts() {
            try (Lab lab = start(LabSpec.builder()
                    .bridge("host", "br0", "172.16.9.1/24")
                    .container("i1", "host:br0", "172.16.9.2/24")
                    .container("i2", "host:br0", "172.16.9.3/24")
                    .container("open", "host:br0", "172.16.9.4/24")
                    .isolated("host", "veth-i1", true)
                    .isolated("host", "veth-i2", true)
                    .hairpin("host", "veth-open", true)
                    .build())) {
                assertThat(lab.namespace("i1")).canPing("172.16.9.4").cannotPing("172.16.9.3");
                assertThat(lab.namespace("i2")).canPing("172.16.9.4").cannotPing("172.16.9.2");
                assertThat(lab.namespace("open")).canPing("172.16.9.2").canPing("172.16.9.3");
            }
        }

        @Test
        @DisplayName(
                "ipvlan, VLAN and VRF fail at build time on a kernel without them, with the reason, and nothing is left")
        void missingLinkTypes() {
            for (String[] type : new String[][] {
                {"ipvlan", "CONFIG_IPVLAN"}, {"vlan", "CONFIG_VLAN_8021Q"}, {"vrf", "CONFIG_NET_VRF"}
            }) {
                LabSpec.Builder spec = LabSpec.builder().namespace("a").veth("host:v1", "a:v2");
                LabSpec lab = switch (type[0]) {
                    case "ipvlan" ->
                        spec.namespace("b").ipvlan("b:eth0", "a:v2", "l2").build();
                    case "vlan" -> spec.vlan("a", "v2.10", "v2", 10).build();
                    default -> spec.vrf("a", "blue", 10).build();
                };
                Lab built;
                try {
                    built = start(lab);
                } catch (NetnsLabException e) {
                    assertThat(e)
                            .hasMessageContaining(type[0] + " needs kernel support (" + type[1] + ")")
                            .hasMessageContaining("remove " + type[0] + "(...)")
                            .hasMessageContaining("everything the lab created so far has been removed");
                    continue;
                }
                built.close();
                Assumptions.abort("this kernel has " + type[0] + "; the missing-type error cannot happen");
            }
        }
    }

    @Nested
    @DisplayName("routing")
    class Routing {

        /**
         * Namespace a with two uplinks to b1 and b2, which both own 192.0.2.1 (one address in two
         * namespaces): the metric picks b1, a rule sends traffic from a's second address to table
         * 100 (via b2), and a blackhole in table 200 drops one destination.
         */
        LabSpec uplinks(boolean blackhole) {
            LabSpec.Builder spec = LabSpec.builder()
                    .namespace("a")
                    .namespace("b1")
                    .namespace("b2")
                    .veth("a:e1", "b1:eth0")
                    .veth("a:e2", "b2:eth0")
                    .address("a", "e1", "10.1.0.2/24")
                    .address("a", "e2", "10.2.0.2/24")
                    .address("a", "e2", "10.2.0.3/24")
                    .address("b1", "eth0", "10.1.0.1/24")
                    .address("b1", "eth0", "192.0.2.1/32")
                    .address("b2", "eth0", "10.2.0.1/24")
                    .address("b2", "eth0", "192.0.2.1/32")
                    .route("a", "192.0.2.1", "10.1.0.1", RouteOptions.metric(10))
                    .route("a", "192.0.2.1", "10.2.0.1", RouteOptions.metric(20))
                    .route("a:e2", "192.0.2.1", "10.2.0.1", RouteOptions.table(100))
                    .rule("a", "10.2.0.3", null, 100, RuleOptions.priority(100));
            return (blackhole
                            ? spec.blackhole("a", "192.0.2.1", RouteOptions.table(200))
                                    .rule("a", null, "192.0.2.1", 200, RuleOptions.priority(50))
                            : spec)
                    .build();
        }

        @Test
        @DisplayName("metrics pick the uplink, a rule overrides it for one source, and both answer")
        void metricsAndRules() {
            try (Lab lab = start(uplinks(false))) {
                Namespace a = lab.namespace("a");
                assertThat(a.exec("ip", "route", "get", "192.0.2.1").stdout()).contains("via 10.1.0.1");
                assertThat(a.exec("ip", "route", "get", "192.0.2.1", "from", "10.2.0.3")
                                .stdout())
                        .contains("via 10.2.0.1");
                assertThat(a).canPing("192.0.2.1");
                assertThat(a.exec("ping", "-c", "1", "-W", "1", "-I", "10.2.0.3", "192.0.2.1")
                                .isSuccess())
                        .isTrue();
                assertThat(lab.namespace("b2")).canPing("10.2.0.3");
            }
        }

        @Test
        @DisplayName("a blackhole consulted first drops what the routes would carry")
        void blackhole() {
            try (Lab lab = start(uplinks(true))) {
                assertThat(lab.namespace("a")
                                .exec("ip", "route", "get", "192.0.2.1")
                                .stderr())
                        .isNotBlank();
                assertThat(lab.namespace("a")).cannotPing("192.0.2.1");
                assertThat(lab.namespace("a")).canPing("10.1.0.1");
            }
        }
    }
}
