package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind is rejected before any command runs, and the message names the
 * attribute, the value and the rule. Lab definitions go to {@link Lab#start} on a backend that
 * fails the test if it is asked to run anything; {@code exec} cases run against a lab whose
 * backend is forbidden to run anything further.
 */
@DisplayName("The bad-input catalogue")
class BadInputCatalogueTest {

    private static final String NS_33 = "a".repeat(33);

    static Stream<Arguments> annotationValues() {
        return Stream.of(
                // names
                ns("", "ns", "", "must not be empty"),
                ns(null, "ns", "null", "must not be empty"),
                ns(NS_33, "ns", NS_33, "at most 32 bytes"),
                ns("ns;reboot", "ns", "ns;reboot", "[A-Za-z0-9_.-]"),
                ns("$(id -u)", "ns", "$(id -u)", "[A-Za-z0-9_.-]"),
                ns("net ns", "ns", "net ns", "[A-Za-z0-9_.-]"),
                ns("a/b", "ns", "a/b", "[A-Za-z0-9_.-]"),
                ns("nétns", "ns", "nétns", "[A-Za-z0-9_.-]"),
                ns("ns\nx", "ns", "ns\\x0ax", "[A-Za-z0-9_.-]"),
                ns("-n", "ns", "-n", "must not start with '-'"),
                ns("host", "ns", "host", "reserved for the lab's host side"),
                ns("..", "ns", "..", "reserved"),
                // IPv4 syntax
                ip("", "an address is required"),
                ip("10.200.1.300", "0-255"),
                ip("10.200.1", "exactly 4 dot-separated octets"),
                ip("10.200.1.1.1", "exactly 4 dot-separated octets"),
                ip("-1.200.1.1", "decimal number 0-255"),
                ip("10.200.1.x", "decimal number 0-255"),
                ip(" 10.200.1.1", "decimal number 0-255"),
                ip("0x0a.200.1.1", "decimal number 0-255"),
                ip("10.200.01.1", "leading zeros"),
                ip("10.200.1.1/33", "over 32"),
                ip("10.200.1.1/", "must be a number 0-32"),
                ip("10.200.1.1/-8", "must be a number 0-32"),
                ip("10.200.1.1/08", "leading zeros"),
                // IPv4 meaning
                ip("10.200.1.1/32", "leaves no second address"),
                ip("224.0.0.1/24", "multicast"),
                ip("10.200.1.255/24", "broadcast address"),
                ip("fd00::1/129", "over 128"),
                ip("127.0.0.5/8", "loopback"),
                hostIp("10.200.2.1", "inside ip's subnet 10.200.1.0/24"),
                hostIp("10.200.1.1", "must differ from ip"),
                hostIp("10.200.1.255", "broadcast address"),
                hostIp("10.200.1.254/16", "prefix must match"),
                hostIp("10.200.1.256", "0-255"),
                hostIp("10.200.1", "exactly 4 dot-separated octets"));
    }

    static Stream<Arguments> labDefinitions() {
        return Stream.of(
                spec("duplicate namespace", b -> b.namespace("a").namespace("a"), "namespace", "a", "declared twice"),
                spec("namespace called host", b -> b.namespace("host"), "namespace", "host", "reserved"),
                spec(
                        "duplicate interface in one namespace",
                        b -> b.namespace("a").veth("host:v1", "a:v2").veth("host:v1", "a:v3"),
                        "interface in namespace host",
                        "v1",
                        "used twice"),
                spec(
                        "interface name over 15 bytes",
                        b -> b.namespace("a").veth("host:veth-much-too-long", "a:v2"),
                        "interface in namespace host",
                        "veth-much-too-long",
                        "at most 15 bytes"),
                spec(
                        "interface name with shell characters",
                        b -> b.namespace("a").veth("host:v1;ls", "a:v2"),
                        "interface in namespace host",
                        "v1;ls",
                        "[A-Za-z0-9_.-]"),
                spec(
                        "interface called lo",
                        b -> b.namespace("a").veth("host:lo", "a:v2"),
                        "interface in namespace host",
                        "lo",
                        "reserved"),
                spec(
                        "veth to an unknown namespace",
                        b -> b.namespace("a").veth("host:v1", "b:v2"),
                        "veth end b:v2",
                        "b",
                        "unknown namespace"),
                spec(
                        "one address twice on one interface",
                        b -> link(b).address("a", "v2", "10.0.0.1/24").address("a", "v2", "10.0.0.1/24"),
                        "address of a:v2",
                        "10.0.0.1/24",
                        "hold an address once"),
                spec(
                        "address on a missing interface",
                        b -> link(b).address("a", "eth9", "10.0.0.1/24"),
                        "address of a:eth9",
                        "10.0.0.1/24",
                        "does not exist"),
                spec(
                        "multicast address on an interface",
                        b -> link(b).address("a", "v2", "ff02::1/64"),
                        "address of a:v2",
                        "ff02::1/64",
                        "multicast"),
                spec(
                        "broadcast address on an interface",
                        b -> link(b).address("a", "v2", "10.0.0.255/24"),
                        "address of a:v2",
                        "10.0.0.255/24",
                        "broadcast address"),
                spec(
                        "DAD asked for an IPv4 address",
                        b -> link(b).address("a", "v2", "10.0.0.1/24", AddressOptions.dad()),
                        "address of a:v2",
                        "10.0.0.1/24",
                        "IPv6's"),
                spec(
                        "two routes to one destination with one metric",
                        b -> link(b).address("a", "v2", "10.0.0.1/24")
                                .route("a", "default", "10.0.0.2")
                                .route("a", "default", "10.0.0.3"),
                        "route in a",
                        "default",
                        "one route per destination and metric"),
                spec(
                        "on-link route without a device",
                        b -> link(b).address("a", "v2", "10.0.0.1/24")
                                .route("a", "default", "10.9.9.9", RouteOptions.onLink()),
                        "route in a to default",
                        "onlink",
                        "both a gateway (via) and a dev"),
                spec(
                        "link-local IPv6 gateway without a device",
                        b -> link(b).address("a", "v2", "fd00::1/64").route("a", "default", "fe80::1"),
                        "route in a to default",
                        "fe80::1",
                        "name the device"),
                spec(
                        "gateway on a route of link scope",
                        b -> link(b).address("a", "v2", "10.0.0.1/24")
                                .route("a:v2", "10.9.0.0/16", "10.0.0.2", RouteOptions.scope("link")),
                        "route in a to 10.9.0.0/16 scope",
                        "link",
                        "refuses a gateway"),
                spec(
                        "source address the namespace does not have",
                        b -> link(b).address("a", "v2", "10.0.0.1/24")
                                .route("a:v2", "10.9.0.0/16", "10.0.0.2", RouteOptions.src("10.0.0.99")),
                        "route in a to 10.9.0.0/16 src",
                        "10.0.0.99",
                        "of the namespace itself"),
                spec(
                        "gateway only in the subnet of a noprefixroute address",
                        b -> link(b).address("a", "v2", "10.1.1.2/24", AddressOptions.noPrefixRoute())
                                .route("a", "default", "10.1.1.1"),
                        "route in a to default",
                        "10.1.1.1",
                        "reach a gateway directly"),
                spec(
                        "IPv6 subnet for iptables' MASQUERADE",
                        b -> link(b).masquerade("a", "fd00::/64", "v2"),
                        "masquerade source in a",
                        "fd00::/64",
                        "nft(...)"),
                spec(
                        "IPv6 route via an IPv4 gateway",
                        b -> link(b).address("a", "v2", "10.0.0.1/24").route("a", "fd00:9::/64", "10.0.0.2"),
                        "route in a to fd00:9::/64",
                        "10.0.0.2",
                        "needs an IPv6 gateway"),
                spec(
                        "rule mixing the families",
                        b -> link(b).rule("a", "10.0.0.0/8", "fd00::/8", 100),
                        "rule in a",
                        "from 10.0.0.0/8 to fd00::/8",
                        "IPv4 or both IPv6"),
                spec(
                        "multicast MAC on an interface",
                        b -> link(b).mac("a", "v2", "01:00:5e:00:00:01"),
                        "mac of a:v2",
                        "01:00:5e:00:00:01",
                        "must be unicast"),
                spec(
                        "malformed MAC in a neighbour entry",
                        b -> link(b).neighbour("a:v2", "10.0.0.9", "02:00:00:00:00"),
                        "neighbour in a:v2 mac",
                        "02:00:00:00:00",
                        "six pairs of hex digits"),
                spec(
                        "one neighbour given twice",
                        b -> link(b).neighbour("a:v2", "10.0.0.9", "02:00:00:00:00:09")
                                .neighbour("a:v2", "10.0.0.9", "02:00:00:00:00:0a"),
                        "neighbour in a:v2",
                        "10.0.0.9",
                        "one neighbour entry per address"),
                spec(
                        "FDB entry on a plain veth",
                        b -> link(b).fdb("a:v2", "02:00:00:00:00:09", "10.0.0.9"),
                        "fdb entry in a:v2",
                        "v2",
                        "VXLAN device or to a bridge port"),
                spec(
                        "FDB entry on a VXLAN device without its VTEP",
                        b -> link(b).address("a", "v2", "10.0.0.1/24")
                                .vxlan("a", "vx0", 1, "v2")
                                .fdb("a:vx0", "02:00:00:00:00:09", null),
                        "fdb entry in a:vx0",
                        "02:00:00:00:00:09",
                        "needs that VTEP's underlay address"),
                spec(
                        "VXLAN local address the namespace does not have",
                        b -> link(b).address("a", "v2", "10.0.0.1/24")
                                .vxlan("a", "vx0", 1, "v2", VxlanOptions.local("10.0.0.7")),
                        "vxlan a:vx0 local",
                        "10.0.0.7",
                        "namespace's own addresses"),
                spec(
                        "hairpin on an interface that is no bridge port",
                        b -> link(b).hairpin("a", "v2", true),
                        "link settings of a:v2",
                        "hairpin",
                        "not enslaved to a bridge"),
                spec(
                        "macvlan in an unknown mode",
                        b -> link(b).macvlan("a:m0", "a:v2", "l2"),
                        "macvlan a:m0 mode",
                        "l2",
                        "one of [bridge, passthru, private, source, vepa]"),
                spec(
                        "macvlan in another namespace on a bridge",
                        b -> link(b).bridge("host", "br0").macvlan("a:m0", "host:br0", "bridge"),
                        "macvlan a:m0 parent",
                        "host:br0",
                        "must be a veth end"),
                spec(
                        "VLAN id out of range",
                        b -> link(b).vlan("a", "v2.4095", "v2", 4095),
                        "vlan a:v2.4095 id",
                        "4095",
                        "0-4094"),
                spec(
                        "route via an unreachable gateway",
                        b -> link(b).address("a", "v2", "10.0.0.1/24").route("a", "default", "192.168.9.1"),
                        "route in a to default",
                        "192.168.9.1",
                        "on-link"),
                spec(
                        "route destination with host bits",
                        b -> link(b).address("a", "v2", "10.0.0.1/24").route("a", "10.9.0.1/16", "10.0.0.2"),
                        "route in a",
                        "10.9.0.1/16",
                        "host bits zero"),
                spec(
                        "route through a device the namespace lacks",
                        b -> link(b).address("a", "v2", "10.0.0.1/24").route("a:eth7", "default"),
                        "route in a to default",
                        "eth7",
                        "does not exist in namespace a"));
    }

    static Stream<Arguments> execArguments() {
        return Stream.of(
                exec("empty argv", new String[0], "argv", "was empty", "name at least the program"),
                exec("null argv", null, "argv", "was null", "name at least the program"),
                exec("empty program", new String[] {""}, "argv[0]", "is empty", "name the program"),
                exec("NUL byte", new String[] {"echo", "a\0b"}, "argv[1]", "a\\0b", "NUL byte"),
                exec("null argument", new String[] {"echo", null}, "argv[1]", "null", "must be a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"annotationValues", "labDefinitions"})
    @DisplayName("invalid lab definitions and @NetnsLab values")
    void rejectedBeforeAnyCommandRuns(Supplier<LabSpec> spec, String attribute, String value, String rule) {
        RecordingBackend backend = new RecordingBackend().forbid();

        Throwable thrown = catchThrowable(() -> Lab.start(spec.get(), backend, RecordingBackend.SETTINGS));

        assertThat(thrown)
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageStartingWith(attribute + " '")
                .hasMessageContaining("'" + value)
                .hasMessageContaining("' is invalid: ")
                .hasMessageContaining(rule);
        assertThat(((InvalidLabSpecException) thrown).attribute()).isEqualTo(attribute);
        assertThat(backend.commands()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("execArguments")
    @DisplayName("exec and spawn with impossible argv")
    void execRejectedBeforeAnyCommandRuns(String[] argv, String attribute, String value, String rule) {
        RecordingBackend backend = new RecordingBackend();
        Namespace ns = Lab.start(
                        LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend, RecordingBackend.SETTINGS)
                .namespace("netns1");
        backend.forbid();

        for (ThrowingCallable call : new ThrowingCallable[] {() -> ns.exec(argv), () -> ns.spawn(argv)}) {
            assertThat(catchThrowable(call))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(attribute)
                    .hasMessageContaining(value)
                    .hasMessageContaining(rule);
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("holds at least 40 cases")
    void isLargeEnough() {
        assertThat(annotationValues().count()
                        + labDefinitions().count()
                        + execArguments().count())
                .isGreaterThanOrEqualTo(40);
    }

    private static LabSpec.Builder link(LabSpec.Builder builder) {
        return builder.namespace("a").veth("host:v1", "a:v2");
    }

    private static Arguments ns(String ns, String attribute, String value, String rule) {
        return arguments(
                Named.of("@NetnsLab(ns = \"" + ns + "\")", (Supplier<LabSpec>)
                        () -> LabSpec.singleNamespace(ns, "10.200.1.1", "")),
                attribute,
                value,
                rule);
    }

    private static Arguments ip(String ip, String rule) {
        return arguments(
                Named.of("@NetnsLab(ip = \"" + ip + "\")", (Supplier<LabSpec>)
                        () -> LabSpec.singleNamespace("netns1", ip, "")),
                "ip",
                ip,
                rule);
    }

    private static Arguments hostIp(String hostIp, String rule) {
        return arguments(
                Named.of("@NetnsLab(hostIp = \"" + hostIp + "\")", (Supplier<LabSpec>)
                        () -> LabSpec.singleNamespace("netns1", "10.200.1.1", hostIp)),
                "hostIp",
                hostIp,
                rule);
    }

    private static Arguments spec(
            String name,
            Function<LabSpec.Builder, LabSpec.Builder> definition,
            String attribute,
            String value,
            String rule) {
        return arguments(
                Named.of(name, (Supplier<LabSpec>)
                        () -> definition.apply(LabSpec.builder()).build()),
                attribute,
                value,
                rule);
    }

    private static Arguments exec(String name, String[] argv, String attribute, String value, String rule) {
        return arguments(Named.of(name, argv), attribute, value, rule);
    }
}
