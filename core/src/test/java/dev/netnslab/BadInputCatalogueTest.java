package dev.netnslab;

import dev.netnslab.InvalidLabSpecException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

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
                ip("", "an IPv4 address is required"),
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
                ip("10.200.1.1/31", "prefix of 1-30"),
                ip("10.200.1.0/24", "network address"),
                ip("10.200.1.255/24", "broadcast address"),
                ip("127.0.0.5/8", "loopback"),
                hostIp("10.200.2.1", "inside ip's subnet 10.200.1.0/24"),
                hostIp("10.200.1.1", "must differ from ip"),
                hostIp("10.200.1.0", "network address"),
                hostIp("10.200.1.255", "broadcast address"),
                hostIp("10.200.1.254/16", "prefix must match"),
                hostIp("10.200.1.256", "0-255"),
                hostIp("10.200.1", "exactly 4 dot-separated octets"));
    }

    static Stream<Arguments> labDefinitions() {
        return Stream.of(
                spec("duplicate namespace", b -> b.namespace("a").namespace("a"),
                        "namespace", "a", "declared twice"),
                spec("namespace called host", b -> b.namespace("host"), "namespace", "host", "reserved"),
                spec("duplicate interface in one namespace", b -> b.namespace("a")
                                .veth("host", "v1", "a", "v2").veth("host", "v1", "a", "v3"),
                        "interface in namespace host", "v1", "used twice"),
                spec("interface name over 15 bytes", b -> b.namespace("a").veth("host", "veth-much-too-long", "a", "v2"),
                        "interface in namespace host", "veth-much-too-long", "at most 15 bytes"),
                spec("interface name with shell characters", b -> b.namespace("a").veth("host", "v1;ls", "a", "v2"),
                        "interface in namespace host", "v1;ls", "[A-Za-z0-9_.-]"),
                spec("interface called lo", b -> b.namespace("a").veth("host", "lo", "a", "v2"),
                        "interface in namespace host", "lo", "reserved"),
                spec("veth to an unknown namespace", b -> b.namespace("a").veth("host", "v1", "b", "v2"),
                        "veth end b:v2", "b", "unknown namespace"),
                spec("duplicate address", b -> link(b).address("host", "v1", "10.0.0.1/24").address("a", "v2", "10.0.0.1/24"),
                        "address of a:v2", "10.0.0.1/24", "must be unique"),
                spec("overlapping subnets in one namespace", b -> link(b).veth("host", "v3", "a", "v4")
                                .address("a", "v2", "10.0.0.1/24").address("a", "v4", "10.0.0.129/25"),
                        "address of a:v4", "10.0.0.129/25", "must not overlap"),
                spec("address on a missing interface", b -> link(b).address("a", "eth9", "10.0.0.1/24"),
                        "address of a:eth9", "10.0.0.1/24", "does not exist"),
                spec("network address on an interface", b -> link(b).address("a", "v2", "10.0.0.0/24"),
                        "address of a:v2", "10.0.0.0/24", "network address"),
                spec("broadcast address on an interface", b -> link(b).address("a", "v2", "10.0.0.255/24"),
                        "address of a:v2", "10.0.0.255/24", "broadcast address"),
                spec("route via an unreachable gateway", b -> link(b).address("a", "v2", "10.0.0.1/24")
                                .route("a", "default", "192.168.9.1"),
                        "route in a to default", "192.168.9.1", "on-link"),
                spec("route destination with host bits", b -> link(b).address("a", "v2", "10.0.0.1/24")
                                .route("a", "10.9.0.1/16", "10.0.0.2"),
                        "route in a", "10.9.0.1/16", "host bits zero"),
                spec("route through a device the namespace lacks", b -> link(b).address("a", "v2", "10.0.0.1/24")
                                .route("a", "default", null, "eth7"),
                        "route in a to default", "eth7", "does not exist in namespace a"));
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

        assertThat(thrown).isInstanceOf(InvalidLabSpecException.class)
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
        Namespace ns = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend, RecordingBackend.SETTINGS)
                .namespace("netns1");
        backend.forbid();

        for (ThrowingCallable call : new ThrowingCallable[] {() -> ns.exec(argv), () -> ns.spawn(argv)}) {
            assertThat(catchThrowable(call)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(attribute)
                    .hasMessageContaining(value)
                    .hasMessageContaining(rule);
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("holds at least 40 cases")
    void isLargeEnough() {
        assertThat(annotationValues().count() + labDefinitions().count() + execArguments().count()).isGreaterThanOrEqualTo(40);
    }

    private static LabSpec.Builder link(LabSpec.Builder builder) {
        return builder.namespace("a").veth("host", "v1", "a", "v2");
    }

    private static Arguments ns(String ns, String attribute, String value, String rule) {
        return arguments(Named.of("@NetnsLab(ns = \"" + ns + "\")",
                (Supplier<LabSpec>) () -> LabSpec.singleNamespace(ns, "10.200.1.1", "")), attribute, value, rule);
    }

    private static Arguments ip(String ip, String rule) {
        return arguments(Named.of("@NetnsLab(ip = \"" + ip + "\")",
                (Supplier<LabSpec>) () -> LabSpec.singleNamespace("netns1", ip, "")), "ip", ip, rule);
    }

    private static Arguments hostIp(String hostIp, String rule) {
        return arguments(Named.of("@NetnsLab(hostIp = \"" + hostIp + "\")",
                (Supplier<LabSpec>) () -> LabSpec.singleNamespace("netns1", "10.200.1.1", hostIp)), "hostIp", hostIp, rule);
    }

    private static Arguments spec(String name, Function<LabSpec.Builder, LabSpec.Builder> definition,
                                  String attribute, String value, String rule) {
        return arguments(Named.of(name, (Supplier<LabSpec>) () -> definition.apply(LabSpec.builder()).build()),
                attribute, value, rule);
    }

    private static Arguments exec(String name, String[] argv, String attribute, String value, String rule) {
        return arguments(Named.of(name, argv), attribute, value, rule);
    }
}
