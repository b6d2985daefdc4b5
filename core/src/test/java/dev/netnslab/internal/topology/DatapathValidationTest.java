package dev.netnslab.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.netnslab.AddressOptions;
import dev.netnslab.LabSpec;
import dev.netnslab.RouteOptions;
import dev.netnslab.RuleOptions;
import dev.netnslab.VxlanOptions;
import dev.netnslab.internal.engine.ApiBridge;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What validation accepts because the kernel does and real datapaths rely on it: each case here was
 * refused once, and each is a shape that Calico, Flannel, the CNI plugins or a hand-built lab programs.
 */
@DisplayName("Validation accepts what real datapaths program")
class DatapathValidationTest {

    private static LabSpec.Builder pair() {
        return LabSpec.builder().namespace("a").veth("host:v1", "a:v2");
    }

    private static void accepted(LabSpec.Builder builder) {
        assertThatCode(builder::build).doesNotThrowAnyException();
    }

    @Nested
    @DisplayName("addresses")
    class Addresses {

        @ParameterizedTest(name = "{0}")
        @ValueSource(
                strings = {
                    "10.0.0.0/31",
                    "10.0.0.1/31",
                    "10.0.0.1/32",
                    "10.244.1.0/32",
                    "10.0.0.0/24",
                    "fd00::1/127",
                    "fd00::1/128",
                    "fd00::1/64",
                    "fe80::1/64"
                })
        @DisplayName("any prefix length, /31 and /32 (/127, /128) included")
        void anyPrefix(String cidr) {
            accepted(pair().address("a", "v2", cidr));
        }

        @Test
        @DisplayName("overlapping prefixes on different interfaces (a /16 tunnel device over a /24 bridge)")
        void overlappingPrefixes() {
            accepted(LabSpec.builder()
                    .node("node1", "10.0.0.10/24")
                    .bridge("node1", "br0", "172.16.0.1/24")
                    .vxlan("node1", "vxlan0", 42, "eth0", "10.0.0.20")
                    .address("node1", "vxlan0", "172.16.0.100/16"));
        }

        @Test
        @DisplayName("one address on several interfaces (the CNI ptp plugin's gateway on every host-side veth)")
        void oneAddressOnSeveralInterfaces() {
            accepted(LabSpec.builder()
                    .namespace("node")
                    .namespace("p1")
                    .namespace("p2")
                    .veth("node:veth1", "p1:eth0")
                    .veth("node:veth2", "p2:eth0")
                    .address("node", "veth1", "10.1.1.1/32")
                    .address("node", "veth2", "10.1.1.1/32"));
        }

        @Test
        @DisplayName("the same address and subnet in different namespaces (two tenants)")
        void sameAddressInTwoNamespaces() {
            accepted(LabSpec.builder()
                    .namespace("t1")
                    .namespace("t2")
                    .veth("host:t1-a", "t1:eth0")
                    .veth("host:t2-a", "t2:eth0")
                    .address("t1", "eth0", "10.0.0.2/24")
                    .address("t2", "eth0", "10.0.0.2/24"));
        }

        @Test
        @DisplayName("IPv6 with DAD, and IPv4 without a prefix route")
        void addressOptions() {
            LabSpec spec = pair().address("a", "v2", "fd00::2/64", AddressOptions.dad())
                    .address("a", "v2", "10.1.1.2/24", AddressOptions.noPrefixRoute())
                    .build();
            assertThat(ApiBridge.topology(spec).addresses())
                    .extracting(a -> a.cidr() + " " + a.dad() + " " + a.noPrefixRoute())
                    .containsExactly("fd00::2/64 true false", "10.1.1.2/24 false true");
        }

        @Test
        @DisplayName("the primary address is the first IPv4 one, or the first IPv6 one when there is no IPv4")
        void primaryAddress() {
            Topology dual = ApiBridge.topology(pair().address("a", "v2", "fd00::2/64")
                    .address("a", "v2", "10.0.0.2/24")
                    .build());
            assertThat(dual.primaryAddress("a")).hasToString("10.0.0.2/24");
            Topology v6 =
                    ApiBridge.topology(pair().address("a", "v2", "fd00::2/64").build());
            assertThat(v6.primaryAddress("a")).hasToString("fd00::2/64");
        }
    }

    @Nested
    @DisplayName("gateways and routes")
    class Routes {

        @Test
        @DisplayName("a gateway reached through a link-scope route (Calico's 169.254.1.1)")
        void gatewayThroughDeviceRoute() {
            accepted(pair().address("a", "v2", "10.65.0.2/32")
                    .route("a:v2", "169.254.1.1")
                    .route("a:v2", "default", "169.254.1.1"));
        }

        @Test
        @DisplayName("a gateway marked on-link (Flannel's route via the remote VTEP)")
        void onLinkGateway() {
            accepted(pair().address("a", "v2", "10.244.1.0/32")
                    .route("a:v2", "10.244.2.0/24", "10.244.2.0", RouteOptions.onLink()));
        }

        @Test
        @DisplayName("a default route via the namespace's own /32 address")
        void defaultViaOwnAddress() {
            accepted(pair().address("a", "v2", "172.16.0.2/32").route("a:v2", "default", "172.16.0.2"));
        }

        @Test
        @DisplayName("several routes to one destination that differ in metric or table")
        void metricsAndTables() {
            LabSpec spec = pair().address("a", "v2", "10.0.0.2/24")
                    .route("a", "default", "10.0.0.1")
                    .route("a", "default", "10.0.0.3", RouteOptions.metric(100))
                    .route("a", "default", "10.0.0.4", RouteOptions.table(100))
                    .blackhole("a", "default", RouteOptions.table(200))
                    .rule("a", "10.0.0.0/24", null, 100)
                    .rule("a", null, "192.0.2.0/24", 200, RuleOptions.priority(1000))
                    .build();
            assertThat(ApiBridge.topology(spec).routes()).hasSize(4);
            assertThat(ApiBridge.topology(spec).rules()).hasSize(2);
        }

        @Test
        @DisplayName("IPv6 defaults via a global gateway and via a link-local one on a named device")
        void ipv6Defaults() {
            LabSpec spec = pair().address("a", "v2", "fd00::2/64")
                    .route("a", "default", "fd00::1")
                    .route("a:v2", "default", "fe80::1", RouteOptions.metric(10))
                    .build();
            assertThat(ApiBridge.topology(spec).routes())
                    .extracting(r -> r.destination().toString())
                    .containsOnly("::/0");
        }

        @Test
        @DisplayName("an IPv4 route via an IPv6 next hop (RFC 5549)")
        void ipv4ViaIpv6() {
            accepted(pair().address("a", "v2", "10.0.0.2/32").route("a:v2", "default", "fe80::1"));
        }

        @Test
        @DisplayName("routes with scope, src and MTU")
        void routeOptions() {
            accepted(pair().address("a", "v2", "10.1.1.2/24", AddressOptions.noPrefixRoute())
                    .route("a:v2", "10.1.1.1", RouteOptions.scope("link").withSrc("10.1.1.2"))
                    .route(
                            "a:v2",
                            "10.1.1.0/24",
                            "10.1.1.1",
                            RouteOptions.src("10.1.1.2").withMtu(1400)));
        }
    }

    @Nested
    @DisplayName("devices and forwarding entries")
    class Devices {

        @Test
        @DisplayName(
                "a VXLAN device without remotes, on port 8472, without learning, with a local address, MAC, neighbour and FDB entry")
        void flannelVtep() {
            LabSpec spec = LabSpec.builder()
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
                    .route("node1:flannel.1", "10.244.2.0/24", "10.244.2.0", RouteOptions.onLink())
                    .build();
            Topology.VxlanSpec vxlan = ApiBridge.topology(spec).vxlans().get(0);
            assertThat(vxlan.remotes()).isEmpty();
            assertThat(vxlan.port()).isEqualTo(8472);
            assertThat(vxlan.learning()).isFalse();
            assertThat(vxlan.local()).hasToString("10.0.0.10");
        }

        @Test
        @DisplayName(
                "one MAC on several interfaces (Calico's ee:ee:ee:ee:ee:ee on every cali veth), written in any case")
        void sameMacTwice() {
            LabSpec spec = LabSpec.builder()
                    .namespace("p1")
                    .namespace("p2")
                    .veth("host:cali1", "p1:eth0")
                    .veth("host:cali2", "p2:eth0")
                    .mac("host", "cali1", "EE:EE:EE:EE:EE:EE")
                    .mac("host", "cali2", "ee:ee:ee:ee:ee:ee")
                    .build();
            assertThat(ApiBridge.topology(spec).links())
                    .extracting(Topology.LinkSettings::mac)
                    .containsOnly("ee:ee:ee:ee:ee:ee");
        }

        @Test
        @DisplayName(
                "bridge port flags, a static FDB entry on a bridge port, macvlan into another namespace, VLAN and VRF")
        void stackedDevicesAndPortFlags() {
            accepted(LabSpec.builder()
                    .bridge("host", "br0", "172.16.0.1/24")
                    .container("c1", "host:br0", "172.16.0.2/24")
                    .hairpin("host", "veth-c1", true)
                    .isolated("host", "veth-c1", true)
                    .fdb("host:veth-c1", "02:00:00:00:00:09", null)
                    .namespace("pod")
                    .macvlan("pod:eth0", "c1:eth0", "bridge")
                    .vlan("c1", "eth0.10", "eth0", 10)
                    .vrf("c1", "blue", 10)
                    .master("c1", "eth0.10", "blue"));
        }

        @Test
        @DisplayName("proxy ARP on an interface whose name holds a dot")
        void proxyArp() {
            LabSpec spec =
                    pair().proxyArp("a", "v2", true).ipv6Forward("a", true).build();
            assertThat(ApiBridge.topology(spec).sysctls())
                    .extracting(s -> s.key() + "=" + s.value())
                    .containsExactly(
                            "net/ipv4/conf/v2/proxy_arp=1",
                            "net/ipv4/neigh/v2/proxy_delay=0",
                            "net.ipv6.conf.all.forwarding=1");
        }
    }
}
