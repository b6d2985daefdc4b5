package dev.netnslab.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.LabSpec;
import dev.netnslab.RouteOptions;
import dev.netnslab.RuleOptions;
import dev.netnslab.VxlanOptions;
import dev.netnslab.internal.engine.ApiBridge;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The validation rules of multi-namespace topologies: each error names the element, the value and the rule. */
@DisplayName("Topology validation")
class TopologyValidationTest {

    private static InvalidLabSpecException invalid(Executable build) {
        return assertThrows(InvalidLabSpecException.class, build);
    }

    private static LabSpec.Builder twoOnABridge() {
        return LabSpec.builder()
                .bridge("host", "br0", "172.16.0.1/24")
                .container("netns1", "host:br0", "172.16.0.2/24")
                .container("netns2", "host:br0", "172.16.0.3/24");
    }

    @Test
    @DisplayName("a valid two-node topology passes")
    void validTopologyPasses() {
        assertThatCode(() -> LabSpec.builder()
                        .node("node1", "10.0.0.10/24", "172.16.0.1/24")
                        .node("node2", "10.0.0.20/24", "172.16.1.1/24")
                        .container("c1", "node1", "172.16.0.2/24")
                        .route("node1", "172.16.1.0/24", "10.0.0.20")
                        .vxlan("node1", "vxlan0", 42, "eth0", "10.0.0.20")
                        .master("node1", "vxlan0", "br0")
                        .rate("c1", "eth0", "10mbit")
                        .loss("c1", "eth0", 5)
                        .mtu("c1", "eth0", 1450)
                        .masquerade("node1", "172.16.0.0/24", "eth0")
                        .build())
                .doesNotThrowAnyException();
    }

    @Test
    @DisplayName("the problems of independent elements are reported together, each in the words it has alone")
    void everyProblemTogether() {
        InvalidLabSpecException e = invalid(() -> LabSpec.builder()
                .namespace("a")
                .namespace("a")
                .veth("host:v1", "a:v2")
                .mtu("a", "v2", 40)
                .build());
        assertThat(e.problems())
                .extracting(InvalidLabSpecException::attribute)
                .containsExactly("namespace", "link settings of a:v2 mtu");
        assertThat(e)
                .hasMessageStartingWith("the lab spec has 2 problems; fix them all:\n  - namespace 'a' is invalid: ")
                .hasMessageContaining("\n  - link settings of a:v2 mtu '40' is invalid: " + DeviceRules.MTU_RULE);
        assertThat(e.attribute()).isEqualTo("namespace");
    }

    @Nested
    @DisplayName("names")
    class NamesRules {

        @Test
        @DisplayName("a namespace declared twice")
        void duplicateNamespace() {
            InvalidLabSpecException e = invalid(
                    () -> LabSpec.builder().namespace("a").namespace("a").build());
            assertThat(e.attribute()).isEqualTo("namespace");
            assertThat(e.value()).isEqualTo("a");
            assertThat(e.rule()).contains("unique").contains("declared twice");
        }

        @Test
        @DisplayName("an interface name used twice in one namespace, by a veth and a bridge")
        void duplicateInterface() {
            InvalidLabSpecException e = invalid(() -> LabSpec.builder()
                    .namespace("a")
                    .veth("host:x", "a:br0")
                    .bridge("a", "br0")
                    .build());
            assertThat(e.attribute()).isEqualTo("interface in namespace a");
            assertThat(e.value()).isEqualTo("br0");
            assertThat(e.rule()).contains("used twice: as a veth end and as a bridge");
        }

        @Test
        @DisplayName("an interface name over 15 bytes")
        void interfaceNameTooLong() {
            InvalidLabSpecException e = invalid(
                    () -> LabSpec.builder().bridge("host", "a-very-long-bridge").build());
            assertThat(e.value()).isEqualTo("a-very-long-bridge");
            assertThat(e.rule()).contains("at most 15 bytes").contains("18");
        }

        @Test
        @DisplayName("a container whose veth peer name would exceed 15 bytes")
        void containerNameTooLong() {
            InvalidLabSpecException e = invalid(() -> LabSpec.builder()
                    .bridge("host", "br0")
                    .container("container-one", "host:br0", "172.16.0.2/24")
                    .build());
            assertThat(e.attribute()).isEqualTo("container");
            assertThat(e.value()).isEqualTo("container-one");
            assertThat(e.rule()).contains("at most 10 bytes").contains("veth-<name>");
        }

        @Test
        @DisplayName("a link to an unknown namespace")
        void unknownNamespace() {
            InvalidLabSpecException e = invalid(
                    () -> LabSpec.builder().namespace("a").veth("a:v1", "b:v2").build());
            assertThat(e.attribute()).isEqualTo("veth end b:v2");
            assertThat(e.value()).isEqualTo("b");
            assertThat(e.rule()).contains("unknown namespace").contains("[a, host]");
        }
    }

    @Nested
    @DisplayName("addresses and routes")
    class AddressRules {

        @Test
        @DisplayName("the same address twice on one interface")
        void duplicateAddressOnOneInterface() {
            InvalidLabSpecException e = invalid(() ->
                    twoOnABridge().address("netns1", "eth0", "172.16.0.2/24").build());
            assertThat(e.attribute()).isEqualTo("address of netns1:eth0");
            assertThat(e.value()).isEqualTo("172.16.0.2/24");
            assertThat(e.rule()).contains("hold an address once").contains("given twice");
        }

        @Test
        @DisplayName(
                "an IPv6 address twice on one interface, even with another prefix (the kernel keys them by address)")
        void duplicateIpv6Address() {
            InvalidLabSpecException e = invalid(() -> twoOnABridge()
                    .address("netns1", "eth0", "fd00::2/64")
                    .address("netns1", "eth0", "fd00::2/80")
                    .build());
            assertThat(e.value()).isEqualTo("fd00::2/80");
        }

        @Test
        @DisplayName("a gateway that is not on-link")
        void gatewayNotOnLink() {
            InvalidLabSpecException e = invalid(() ->
                    twoOnABridge().route("netns1", "10.9.0.0/16", "10.0.0.1").build());
            assertThat(e.attribute()).isEqualTo("route in netns1 to 10.9.0.0/16");
            assertThat(e.value()).isEqualTo("10.0.0.1");
            assertThat(e.rule())
                    .contains("reach a gateway directly")
                    .contains("172.16.0.2/24")
                    .contains("RouteOptions.onLink()")
                    .contains("device route");
        }

        @Test
        @DisplayName("two routes to one destination with the same metric in the same table")
        void duplicateRoute() {
            InvalidLabSpecException e = invalid(() -> twoOnABridge()
                    .route("netns1", "10.9.0.0/16", "172.16.0.3")
                    .route("netns1", "10.9.0.0/16", "172.16.0.1")
                    .build());
            assertThat(e.value()).isEqualTo("10.9.0.0/16");
            assertThat(e.rule())
                    .contains("one route per destination and metric")
                    .contains("metric 0 in table main")
                    .contains("RouteOptions.metric(...)")
                    .contains("RouteOptions.table(...)");
            // IPv6's default metric is 1024, so writing it out still collides.
            assertThat(invalid(() -> twoOnABridge()
                                    .address("netns1", "eth0", "fd00::2/64")
                                    .route("netns1", "fd00:9::/64", "fd00::3")
                                    .route("netns1", "fd00:9::/64", "fd00::4", RouteOptions.metric(1024))
                                    .build())
                            .rule())
                    .contains("metric 1024");
        }

        @Test
        @DisplayName("a blackhole with a route's options, a route MTU, metric or table out of range, an unknown scope")
        void routeOptions() {
            assertThat(invalid(() -> twoOnABridge()
                                    .blackhole("netns1", "10.9.0.0/16", RouteOptions.src("172.16.0.2"))
                                    .build())
                            .rule())
                    .contains("blackhole route drops");
            assertThat(invalid(() -> twoOnABridge()
                                    .route("netns1:eth0", "10.9.0.0/16", RouteOptions.scope("galaxy"))
                                    .build())
                            .rule())
                    .contains("one of [global, host, link, site, universe]");
            assertThat(invalid(() -> twoOnABridge()
                                    .route("netns1:eth0", "10.9.0.0/16", RouteOptions.mtu(70000))
                                    .build())
                            .rule())
                    .contains("1-65535");
            assertThat(invalid(() -> twoOnABridge()
                                    .route("netns1:eth0", "10.9.0.0/16", RouteOptions.metric(-5))
                                    .build())
                            .rule())
                    .contains("0-4294967295");
            assertThat(invalid(() -> twoOnABridge()
                                    .route("netns1:eth0", "10.9.0.0/16", RouteOptions.table(-2))
                                    .build())
                            .rule())
                    .contains("1-4294967295");
            assertThat(invalid(() -> twoOnABridge()
                                    .rule("netns1", "10.0.0.0/8", null, 0)
                                    .build())
                            .rule())
                    .contains("1-4294967295");
            assertThat(invalid(() -> twoOnABridge()
                                    .rule("netns1", "10.0.0.0/8", null, 100)
                                    .rule("netns1", "10.0.0.0/8", null, 100)
                                    .build())
                            .rule())
                    .contains("same rule twice");
        }

        @Test
        @DisplayName("a container gets its bridge as gateway unless it already has a default route")
        void containerGateway() {
            LabSpec spec =
                    twoOnABridge().route("netns2", "default", "172.16.0.2").build();
            assertThat(ApiBridge.topology(spec).routes())
                    .extracting(r -> r.namespace() + " " + r.via())
                    .containsExactlyInAnyOrder("netns1 172.16.0.1", "netns2 172.16.0.2");
        }
    }

    @Nested
    @DisplayName("devices and settings")
    class DeviceRulesTest {

        @Test
        @DisplayName("a bridge port in another namespace")
        void bridgePortInAnotherNamespace() {
            InvalidLabSpecException e = invalid(() -> LabSpec.builder()
                    .bridge("host", "br0")
                    .namespace("netns1")
                    .veth("host:veth1", "netns1:veth2")
                    .master("netns1", "veth2", "br0")
                    .build());
            assertThat(e.attribute()).isEqualTo("bridge port netns1:veth2");
            assertThat(e.value()).isEqualTo("br0");
            assertThat(e.rule())
                    .contains("bridge br0 is in namespace host")
                    .contains("port(\"netns1:veth2\", \"host:br0\")");
        }

        @Test
        @DisplayName("a port of a bridge that does not exist")
        void unknownBridge() {
            InvalidLabSpecException e = invalid(() -> LabSpec.builder()
                    .namespace("a")
                    .veth("host:v1", "a:v2")
                    .master("a", "v2", "br9")
                    .build());
            assertThat(e.rule()).contains("no bridge (or VRF) called br9 in namespace a");
        }

        @Test
        @DisplayName("a VXLAN id out of range, remotes of two families, a missing underlay device")
        void vxlan() {
            LabSpec.Builder node = LabSpec.builder().node("n1", "10.0.0.10/24");
            assertThat(invalid(() -> node.vxlan("n1", "vx", 0, "eth0", "10.0.0.20")
                                    .build())
                            .rule())
                    .contains("1-16777215");
            assertThat(invalid(() -> LabSpec.builder()
                                    .node("n1", "10.0.0.10/24")
                                    .vxlan("n1", "vx", 5, "eth0", "10.0.0.20", "fd00::20")
                                    .build())
                            .rule())
                    .contains("one underlay family");
            assertThat(invalid(() -> LabSpec.builder()
                                    .node("n1", "10.0.0.10/24")
                                    .vxlan("n1", "vx", 5, "eth0", VxlanOptions.port(0))
                                    .build())
                            .rule())
                    .contains("1-65535");
            assertThat(invalid(() -> LabSpec.builder()
                                    .node("n1", "10.0.0.10/24")
                                    .vxlan("n1", "vx", 5, "eth9", "10.0.0.2")
                                    .build())
                            .rule())
                    .contains("eth9 does not exist in namespace n1");
        }

        @Test
        @DisplayName("the remaining refusals of datapath elements: each names the element, the value and the rule")
        void datapathRefusals() {
            LabSpec.Builder node = LabSpec.builder().node("n1", "10.0.0.10/24");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .route("n1", "default", "0.0.0.0")
                            .build(),
                    "route in n1 to default",
                    "0.0.0.0",
                    "unicast address of a neighbour");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .route("n1", "10.9.0.0/16", "10.0.0.1", RouteOptions.scope("host"))
                            .build(),
                    "route in n1 to 10.9.0.0/16 scope",
                    "host",
                    "refuses a gateway");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .route("n1:eth0", "10.9.0.0/16", RouteOptions.src("fd00::1"))
                            .build(),
                    "route in n1 to 10.9.0.0/16 src",
                    "fd00::1",
                    "IPv4 address of the namespace");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .rule("n1", "10.0.0.0/8", null, 100, RuleOptions.priority(-5))
                            .build(),
                    "rule in n1 priority",
                    "-5",
                    "0-4294967295");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .vxlan("n1", "vx", 5, "eth0", "127.0.0.1")
                            .build(),
                    "vxlan n1:vx remote",
                    "127.0.0.1",
                    "underlay address of another VTEP");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .vrf("n1", "blue", 254)
                            .build(),
                    "vrf n1:blue table",
                    "254",
                    "except main (254) and local (255)");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .ipvlan("n1:ipv0", "n1:eth0", "bridge")
                            .build(),
                    "ipvlan n1:ipv0 mode",
                    "bridge",
                    "[l2, l3, l3s]");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .macvlan("n1:m0", "n1:eth7", "bridge")
                            .build(),
                    "macvlan n1:m0 parent",
                    "eth7",
                    "does not exist in namespace n1");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .macvlan("n1:m0", "n9:eth0", "bridge")
                            .build(),
                    "macvlan n1:m0 parent",
                    "n9",
                    "unknown namespace");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .neighbour("n1:eth0", "224.0.0.1", "01:00:5e:00:00:01")
                            .build(),
                    "neighbour in n1:eth0",
                    "224.0.0.1",
                    "unicast address to a MAC");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .vxlan("n1", "vx", 5, "eth0", "10.0.0.20")
                            .fdb("n1:vx", "02:00:00:00:00:01", "fd00::20")
                            .build(),
                    "fdb entry in n1:vx dstIp",
                    "fd00::20",
                    "underlay family, IPv4");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .vxlan("n1", "vx", 5, "eth0")
                            .fdb("n1:vx", "02:00:00:00:00:01", "10.0.0.20")
                            .fdb("n1:vx", "02:00:00:00:00:01", "10.0.0.20")
                            .build(),
                    "fdb entry in n1:vx",
                    "02:00:00:00:00:01 dst 10.0.0.20",
                    "same FDB entry twice");
            assertRefused(
                    () -> node.fdb("host:veth-n1", "02:00:00:00:00:01", "10.0.0.20")
                            .build(),
                    "fdb entry in host:veth-n1 dstIp",
                    "10.0.0.20",
                    "pass null as dstIp");
            assertRefused(
                    () -> LabSpec.builder()
                            .node("n1", "10.0.0.10/24")
                            .mac("n1", "eth0", "00:00:00:00:00:00")
                            .build(),
                    "mac of n1:eth0",
                    "00:00:00:00:00:00",
                    "all-zero MAC");
        }

        private void assertRefused(Executable build, String attribute, String value, String rule) {
            InvalidLabSpecException e = invalid(build);
            assertThat(e.attribute()).isEqualTo(attribute);
            assertThat(e.value()).isEqualTo(value);
            assertThat(e.rule()).contains(rule);
        }

        @Test
        @DisplayName("a sysctl outside net.*, which would change the machine")
        void sysctlOutsideNet() {
            InvalidLabSpecException e = invalid(() -> LabSpec.builder()
                    .namespace("a")
                    .sysctl("a", "kernel.pid_max", "5")
                    .build());
            assertThat(e.attribute()).isEqualTo("sysctl in a");
            assertThat(e.value()).isEqualTo("kernel.pid_max");
            assertThat(e.rule()).contains("only net.* sysctls");
            assertThat(invalid(() -> LabSpec.builder()
                                    .namespace("a")
                                    .sysctl("a", "net.ipv4.ip_forward", "1;reboot")
                                    .build())
                            .rule())
                    .contains("[A-Za-z0-9_.:-]");
        }

        @Test
        @DisplayName("a later sysctl call wins over an earlier one")
        void laterSysctlWins() {
            LabSpec spec = LabSpec.builder()
                    .node("n1", "10.0.0.10/24")
                    .ipForward("n1", false)
                    .build();
            assertThat(ApiBridge.topology(spec).sysctls())
                    .singleElement()
                    .satisfies(s -> assertThat(s.key() + "=" + s.value()).isEqualTo("net.ipv4.ip_forward=0"));
        }

        @Test
        @DisplayName("bad link settings")
        void linkSettings() {
            LabSpec.Builder base = twoOnABridge();
            assertThat(invalid(() -> twoOnABridge().mtu("netns1", "eth0", 40).build())
                            .rule())
                    .contains("68-65535");
            assertThat(invalid(() -> twoOnABridge()
                                    .rate("netns1", "eth0", "10 mbps")
                                    .build())
                            .rule())
                    .contains("10mbit");
            assertThat(invalid(() -> twoOnABridge().loss("netns1", "eth0", 150).build())
                            .rule())
                    .contains("0-100");
            assertThat(invalid(() -> twoOnABridge()
                                    .delay("netns1", "eth0", Duration.ZERO)
                                    .build())
                            .rule())
                    .contains("positive");
            assertThat(invalid(() -> base.mtu("netns1", "eth9", 1400).build()).rule())
                    .contains("eth9 does not exist");
        }

        @Test
        @DisplayName("an empty iptables rule or nft script")
        void firewall() {
            assertThat(invalid(() -> twoOnABridge().iptables("netns1").build()).rule())
                    .contains("arguments that follow 'iptables'");
            assertThat(invalid(() -> twoOnABridge().nft("netns1", " ").build()).rule())
                    .contains("nft commands");
            assertThat(invalid(() -> twoOnABridge()
                                    .iptables("nowhere", "-A", "INPUT")
                                    .build())
                            .rule())
                    .contains("unknown namespace");
        }
    }
}
