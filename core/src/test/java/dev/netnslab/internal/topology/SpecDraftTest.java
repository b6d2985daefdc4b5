package dev.netnslab.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.LabSpec;
import dev.netnslab.RouteOptions;
import dev.netnslab.RuleOptions;
import dev.netnslab.internal.engine.ApiBridge;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The builder records, {@code build()} checks: when each check runs, and how the problems of one spec are reported. */
@DisplayName("The spec draft: every check at build(), every problem at once")
class SpecDraftTest {

    private static InvalidLabSpecException invalid(Supplier<LabSpec> build) {
        InvalidLabSpecException e = catchThrowableOfType(InvalidLabSpecException.class, build::get);
        assertThat(e).as("build() throws an InvalidLabSpecException").isNotNull();
        return e;
    }

    private static LabSpec.Builder pair() {
        return LabSpec.builder().namespace("a").veth("host:v1", "a:v2");
    }

    @Nested
    @DisplayName("when checks run")
    class When {

        @Test
        @DisplayName("no builder call throws for a bad value; build() does")
        void callsRecordOnly() {
            LabSpec.Builder builder = LabSpec.builder();
            assertThatCode(() -> builder.namespace("a b")
                            .veth("hostv1", "a:v2")
                            .address("a", "v2", "10.0.0.300/24")
                            .route("a", "default", "10.0.0.x")
                            .route("a:", "10.9.0.0/16")
                            .rule("a", "10.0.0.0/33", null, 100)
                            .rule("a", null, null, 100, RuleOptions.priority(-1))
                            .mac("a", "v2", "01:00:00:00:00:00")
                            .neighbour("a:v2", "10.0.0.9", "zz")
                            .fdb("a:v2", "02:00:00:00:00", null)
                            .masquerade("a", "fd00::/64", "v2")
                            .vxlan("a", "vx", 1, "v2", "10.0.0.999")
                            .node("a-very-long-node", "10.0.0.1/33")
                            .container("c1", "nowhere:", "172.16.0.2/24")
                            .port("a:v3", "host")
                            .macvlan("m0", "a:v2", "bridge"))
                    .doesNotThrowAnyException();
            assertThat(invalid(builder::build).problems()).hasSizeGreaterThanOrEqualTo(15);
        }

        @Test
        @DisplayName("a builder builds again after a failed build, and variants of one builder stay apart")
        void builderIsReusable() {
            LabSpec.Builder builder = pair().address("a", "v2", "10.0.0.2/24");
            LabSpec first = builder.build();
            assertThat(builder.build())
                    .isEqualTo(first)
                    .hasSameHashCodeAs(first)
                    .isNotSameAs(first);
            invalid(() -> builder.route("a", "default", "10.9.9.9").build());
            assertThat(first.namespaceNames()).containsExactly("a");
        }
    }

    @Nested
    @DisplayName("every problem together")
    class AllTogether {

        @Test
        @DisplayName("independent mistakes are listed in one exception, each in its own words")
        void listsEveryProblem() {
            InvalidLabSpecException e = invalid(() -> LabSpec.builder()
                    .namespace("a")
                    .namespace("a")
                    .veth("host:v1", "a:v2")
                    .address("a", "v2", "10.0.0.300/24")
                    .route("a", "default", "192.168.9.1")
                    .mtu("a", "v2", 40)
                    .build());
            assertThat(e.problems())
                    .extracting(InvalidLabSpecException::attribute)
                    .containsExactly(
                            "address of a:v2", "namespace", "link settings of a:v2 mtu", "route in a to default");
            assertThat(e.problems())
                    .extracting(InvalidLabSpecException::value)
                    .containsExactly("10.0.0.300", "a", "40", "192.168.9.1");
            assertThat(e)
                    .hasMessageStartingWith(
                            "the lab spec has 4 problems; fix them all:\n  - address of a:v2 '10.0.0.300'")
                    .hasMessageContaining("\n  - namespace 'a' is invalid: namespace names must be unique")
                    .hasMessageContaining("\n  - link settings of a:v2 mtu '40' is invalid: " + DeviceRules.MTU_RULE)
                    .hasMessageContaining(
                            "\n  - route in a to default '192.168.9.1' is invalid: the kernel needs to reach a gateway");
            assertThat(e.attribute()).as("the first problem's").isEqualTo("address of a:v2");
            assertThat(e.value()).isEqualTo("10.0.0.300");
        }

        @Test
        @DisplayName("one problem is thrown as it is, as before")
        void oneProblemAlone() {
            InvalidLabSpecException e =
                    invalid(() -> pair().address("a", "v2", "10.0.0.300/24").build());
            assertThat(e.problems()).containsExactly(e);
            assertThat(e).hasMessageStartingWith("address of a:v2 '10.0.0.300' is invalid: ");
        }

        @Test
        @DisplayName("the single-namespace lab reports a bad ns and a bad ip together")
        void singleNamespaceTogether() {
            InvalidLabSpecException e = invalid(() -> LabSpec.singleNamespace("ns;reboot", "10.200.1.300", ""));
            assertThat(e.problems())
                    .extracting(InvalidLabSpecException::attribute)
                    .containsExactly("ns", "ip");
        }

        @Test
        @DisplayName("an interface with a bad name is still known, so what refers to it is not reported as well")
        void badInterfaceNameDoesNotCascade() {
            InvalidLabSpecException e = invalid(() -> LabSpec.builder()
                    .namespace("a")
                    .veth("host:veth-much-too-long", "a:v2")
                    .address("host", "veth-much-too-long", "10.0.0.1/24")
                    .mtu("host", "veth-much-too-long", 1400)
                    .build());
            assertThat(e.problems())
                    .singleElement()
                    .extracting(InvalidLabSpecException::value)
                    .isEqualTo("veth-much-too-long");
        }

        @Test
        @DisplayName("a node or container name too long for its peer is reported once, as the user wrote it")
        void derivedNamesAreNotReportedAgain() {
            InvalidLabSpecException node = invalid(
                    () -> LabSpec.builder().node("node-eleven", "10.0.0.1/24").build());
            assertThat(node.problems()).singleElement().satisfies(p -> {
                assertThat(p.attribute()).isEqualTo("node");
                assertThat(p.value()).isEqualTo("node-eleven");
                assertThat(p.rule()).contains("at most 10 bytes").contains("veth-<name>");
            });
            InvalidLabSpecException container = invalid(() -> LabSpec.builder()
                    .bridge("host", "br0")
                    .container("c;1", "host:br0", "172.16.0.2/24")
                    .build());
            assertThat(container.problems())
                    .singleElement()
                    .extracting(InvalidLabSpecException::attribute)
                    .isEqualTo("container");
        }

        @Test
        @DisplayName("a route with neither gateway nor device is refused before the kernel sees it")
        void routeNeedsGatewayOrDevice() {
            InvalidLabSpecException e = invalid(() -> pair().address("a", "v2", "10.0.0.2/24")
                    .route("a", "10.9.0.0/16", (String) null)
                    .build());
            assertThat(e.attribute()).isEqualTo("route in a");
            assertThat(e.rule()).contains("names neither").contains("ns:dev");
        }
    }

    @Nested
    @DisplayName("endpoints written ns:iface")
    class Endpoints {

        @ParameterizedTest(name = "''{0}'' {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "hostveth1      | has no colon",
                    ":veth1         | has no namespace",
                    "host:          | has no interface",
                    "host:veth1:x   | has more than one colon"
                })
        @DisplayName("a malformed endpoint names the call, the value, the syntax and what is wrong")
        void malformed(String endpoint, String what) {
            InvalidLabSpecException e = invalid(() ->
                    LabSpec.builder().namespace("a").veth(endpoint, "a:v2").build());
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.attribute()).isEqualTo("veth endpoint");
                assertThat(p.value()).isEqualTo(endpoint);
                assertThat(p)
                        .hasMessage("veth endpoint '" + endpoint + "' is invalid: an endpoint is written ns:iface (the"
                                + " namespace, one colon, the interface), such as host:veth1, and this one " + what);
            });
        }

        @Test
        @DisplayName("a missing endpoint is a problem of the spec, not a NullPointerException")
        void nullEndpoint() {
            assertThat(invalid(() -> LabSpec.builder().veth(null, "host:v2").build())
                            .rule())
                    .contains("has no colon");
        }

        @Test
        @DisplayName("each method names itself in the message")
        void namedByTheCall() {
            assertThat(invalid(() -> pair().neighbour("a-v2", "10.0.0.9", "02:00:00:00:00:09")
                                    .build())
                            .attribute())
                    .isEqualTo("neighbour endpoint");
            assertThat(invalid(() -> pair().fdb("a/v2", "02:00:00:00:00:09", null)
                                    .build())
                            .attribute())
                    .isEqualTo("fdb entry endpoint");
            assertThat(invalid(() -> pair().macvlan("a:m0", "a", "bridge").build())
                            .attribute())
                    .isEqualTo("macvlan parent endpoint");
            assertThat(invalid(() -> pair().ipvlan("m0", "a:v2", "l2").build()).attribute())
                    .isEqualTo("ipvlan endpoint");
            assertThat(invalid(() -> pair().bridge("host", "br0")
                                    .port("a", "host:br0")
                                    .build())
                            .attribute())
                    .isEqualTo("port endpoint");
            assertThat(invalid(() -> pair().bridge("host", "br0")
                                    .port("a:eth1", "br0")
                                    .build())
                            .attribute())
                    .isEqualTo("port bridge endpoint");
            assertThat(invalid(() -> pair().route("a:", "10.9.0.0/16").build()).attribute())
                    .isEqualTo("route from endpoint");
            assertThat(invalid(() -> LabSpec.builder()
                                    .container("c1", "host:", "172.16.0.2/24")
                                    .build())
                            .attribute())
                    .isEqualTo("container c1 bridge endpoint");
        }
    }

    @Nested
    @DisplayName("readable forms")
    class ReadableForms {

        @Test
        @DisplayName("veth(\"host:veth1\", \"netns1:veth2\") is a veth pair with those ends")
        void veth() {
            Topology t = ApiBridge.topology(LabSpec.builder()
                    .namespace("netns1")
                    .veth("host:veth1", "netns1:veth2")
                    .build());
            assertThat(t.veths())
                    .containsExactly(
                            new Topology.Veth(new Topology.End("host", "veth1"), new Topology.End("netns1", "veth2")));
        }

        @Test
        @DisplayName("route(\"ns:dev\", ...) leaves through dev; route(\"ns:dev\", destination) is a device route")
        void routes() {
            Topology t = ApiBridge.topology(pair().address("a", "v2", "10.65.0.2/32")
                    .route("a:v2", "169.254.1.1")
                    .route("a:v2", "default", "169.254.1.1")
                    .route("a:v2", "10.9.0.0/16", "169.254.1.1", RouteOptions.metric(7))
                    .route("a:v2", "10.8.0.0/16", RouteOptions.scope("link"))
                    .route(
                            "a:v2",
                            "10.7.0.0/16",
                            "10.7.0.1",
                            RouteOptions.onLink().withMetric(9).withTable(5))
                    .build());
            assertThat(t.routes())
                    .extracting(r -> r.destination().toRouteString() + " via " + r.via() + " dev " + r.dev()
                            + " metric " + r.metric() + " scope " + r.scope() + " onlink " + r.onLink() + " table "
                            + r.table())
                    .containsExactly(
                            "169.254.1.1 via null dev v2 metric -1 scope null onlink false table 0",
                            "default via 169.254.1.1 dev v2 metric -1 scope null onlink false table 0",
                            "10.9.0.0/16 via 169.254.1.1 dev v2 metric 7 scope null onlink false table 0",
                            "10.8.0.0/16 via null dev v2 metric -1 scope link onlink false table 0",
                            "10.7.0.0/16 via 10.7.0.1 dev v2 metric 9 scope null onlink true table 5");
        }

        @Test
        @SuppressWarnings("deprecation")
        @DisplayName("a device given twice, in ns:dev and apart, is refused")
        void deviceTwice() {
            InvalidLabSpecException e = invalid(
                    () -> pair().route("a:v2", "default", "10.0.0.1", "v2").build());
            assertThat(e.value()).isEqualTo("a:v2 dev v2");
            assertThat(e.rule()).contains("names its device once");
        }

        @Test
        @DisplayName("rule(..., RuleOptions.priority(p)) sets the priority; out of range is refused")
        void rulePriority() {
            Topology t = ApiBridge.topology(pair().rule("a", "10.0.0.0/8", null, 100, RuleOptions.priority(4294967295L))
                    .rule("a", "10.1.0.0/16", null, 100)
                    .build());
            assertThat(t.rules()).extracting(Topology.RuleSpec::priority).containsExactly(4294967295L, -1L);
            assertThat(invalid(() -> pair().rule("a", null, null, 100, RuleOptions.priority(-1))
                                    .build())
                            .attribute())
                    .isEqualTo("rule in a priority");
            assertThat(invalid(() -> pair().rule("a", null, null, 100, RuleOptions.priority(4294967296L))
                                    .build())
                            .rule())
                    .isEqualTo(RouteRules.PRIORITY_RULE);
        }

        @Test
        @DisplayName("neighbour(\"ns:iface\", ip, mac) and fdb(\"ns:iface\", mac, dst) hold entries on that interface")
        void neighbourAndFdb() {
            Topology t = ApiBridge.topology(LabSpec.builder()
                    .node("n1", "10.0.0.10/24")
                    .vxlan("n1", "flannel.1", 1, "eth0")
                    .neighbour("n1:flannel.1", "10.244.2.0", "02:00:00:00:00:02")
                    .fdb("n1:flannel.1", "02:00:00:00:00:02", "10.0.0.20")
                    .build());
            assertThat(t.neighbours())
                    .containsExactly(new Topology.NeighbourSpec(
                            "n1", "flannel.1", IpAddress.parse("ip", "10.244.2.0"), "02:00:00:00:00:02"));
            assertThat(t.fdbs())
                    .containsExactly(new Topology.FdbSpec(
                            "n1", "flannel.1", "02:00:00:00:00:02", IpAddress.parse("ip", "10.0.0.20")));
        }

        @Test
        @DisplayName("port(\"ns:iface\", \"bridgeNs:bridge\") names the peer veth-<ns>; a third argument names it")
        void port() {
            Topology t = ApiBridge.topology(LabSpec.builder()
                    .namespace("p1")
                    .namespace("p2")
                    .bridge("host", "br0")
                    .port("p1:eth0", "host:br0")
                    .port("p2:eth0", "host:br0", "tap2")
                    .build());
            assertThat(t.veths())
                    .containsExactly(
                            new Topology.Veth(new Topology.End("p1", "eth0"), new Topology.End("host", "veth-p1")),
                            new Topology.Veth(new Topology.End("p2", "eth0"), new Topology.End("host", "tap2")));
            assertThat(t.ports())
                    .containsExactly(
                            new Topology.PortSpec("host", "veth-p1", "br0"),
                            new Topology.PortSpec("host", "tap2", "br0"));
        }

        @Test
        @DisplayName("a port whose namespace is too long for the derived peer is told to name it")
        void portPeerTooLong() {
            InvalidLabSpecException e = invalid(() -> LabSpec.builder()
                    .namespace("namespace-12")
                    .bridge("host", "br0")
                    .port("namespace-12:eth0", "host:br0")
                    .build());
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.attribute()).isEqualTo("port namespace-12:eth0");
                assertThat(p.rule())
                        .contains("2 bytes too long")
                        .contains("port(\"namespace-12:eth0\", \"host:br0\", \"<peer>\")");
            });
        }

        @Test
        @DisplayName("macvlan(\"ns:name\", \"parentNs:parent\", mode) and ipvlan(...) stack a device on its parent")
        void stackedDevices() {
            Topology t = ApiBridge.topology(pair().namespace("pod")
                    .macvlan("pod:eth0", "a:v2", "bridge")
                    .ipvlan("a:ipv0", "a:v2", "l2")
                    .build());
            assertThat(t.devices())
                    .containsExactly(
                            new Topology.DeviceSpec(Topology.DeviceKind.MACVLAN, "pod", "eth0", "a", "v2", "bridge", 0),
                            new Topology.DeviceSpec(Topology.DeviceKind.IPVLAN, "a", "ipv0", "a", "v2", "l2", 0));
        }

        @Test
        @DisplayName(
                "container(name, \"ns:bridge\", cidr) hangs off any bridge; container(name, node, cidr) off the node's br0")
        void containers() {
            Topology t = ApiBridge.topology(LabSpec.builder()
                    .bridge("host", "sw", "172.16.9.1/24")
                    .node("n1", "10.0.0.1/24", "172.16.0.1/24")
                    .container("c1", "host:sw", "172.16.9.2/24")
                    .container("c2", "n1", "172.16.0.2/24")
                    .build());
            assertThat(t.ports())
                    .contains(
                            new Topology.PortSpec("host", "veth-c1", "sw"),
                            new Topology.PortSpec("n1", "veth-c2", "br0"));
            assertThat(t.routes())
                    .extracting(r -> r.namespace() + " " + r.via())
                    .containsExactly("c1 172.16.9.1", "c2 172.16.0.1");
        }
    }
}
