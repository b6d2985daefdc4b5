package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The builder methods that take rows of positional strings are deprecated, not gone: each still
 * builds exactly the spec its readable replacement builds, and still reports its mistakes in the
 * same words.
 */
@DisplayName("Deprecated builder forms keep working")
@SuppressWarnings("deprecation")
class DeprecatedBuilderFormsTest {

    private static LabSpec.Builder pair() {
        return LabSpec.builder().namespace("a").namespace("b").veth("host:v1", "a:v2");
    }

    @Test
    @DisplayName("veth(nsA, ifaceA, nsB, ifaceB) is veth(\"nsA:ifaceA\", \"nsB:ifaceB\")")
    void veth() {
        assertThat(LabSpec.builder()
                        .namespace("a")
                        .veth("host", "v1", "a", "v2")
                        .build())
                .isEqualTo(
                        LabSpec.builder().namespace("a").veth("host:v1", "a:v2").build());
        assertThatThrownBy(() -> LabSpec.builder()
                        .namespace("a")
                        .veth("host", "v1", "b", "v2")
                        .build())
                .hasMessageStartingWith("veth end b:v2 'b' is invalid: it refers to an unknown namespace");
    }

    @Test
    @DisplayName(
            "route(ns, destination, via, dev) is route(\"ns:dev\", destination, via), or route(\"ns:dev\", destination) without via")
    void route() {
        LabSpec.Builder pod = pair().address("a", "v2", "10.65.0.2/32");
        assertThat(pod.route("a", "169.254.1.1", null, "v2")
                        .route("a", "default", "169.254.1.1", "v2")
                        .build())
                .isEqualTo(pair().address("a", "v2", "10.65.0.2/32")
                        .route("a:v2", "169.254.1.1")
                        .route("a:v2", "default", "169.254.1.1")
                        .build());
        // A literal null as the device needs its type now: route(from, destination, via, RouteOptions) takes a null as
        // well.
        assertThat(pair().address("a", "v2", "10.0.0.2/24")
                        .route("a", "default", "10.0.0.1", (String) null)
                        .build())
                .isEqualTo(pair().address("a", "v2", "10.0.0.2/24")
                        .route("a", "default", "10.0.0.1")
                        .build());
        assertThatThrownBy(() -> pair().route("a", "default", null, "eth7").build())
                .hasMessageStartingWith(
                        "route in a to default 'eth7' is invalid: the interface eth7 does not exist in namespace a");
    }

    @Test
    @DisplayName("route(ns, destination, via, dev, options) is route(\"ns:dev\", destination, via, options)")
    void routeWithOptions() {
        assertThat(pair().address("a", "v2", "10.1.1.2/24", AddressOptions.noPrefixRoute())
                        .route(
                                "a",
                                "10.1.1.1",
                                null,
                                "v2",
                                RouteOptions.scope("link").withSrc("10.1.1.2"))
                        .route("a", "10.1.1.0/24", "10.1.1.1", "v2", RouteOptions.src("10.1.1.2"))
                        .route("a", "default", "10.1.1.1", null, RouteOptions.metric(5))
                        .build())
                .isEqualTo(pair().address("a", "v2", "10.1.1.2/24", AddressOptions.noPrefixRoute())
                        .route("a:v2", "10.1.1.1", RouteOptions.scope("link").withSrc("10.1.1.2"))
                        .route("a:v2", "10.1.1.0/24", "10.1.1.1", RouteOptions.src("10.1.1.2"))
                        .route("a", "default", "10.1.1.1", RouteOptions.metric(5))
                        .build());
    }

    @Test
    @DisplayName(
            "rule(ns, priority, from, to, table) is rule(ns, from, to, table, RuleOptions.priority(p)); -1 is no priority")
    void rule() {
        assertThat(pair().rule("a", 1000, "10.0.0.0/8", null, 100)
                        .rule("a", -1, null, "192.0.2.0/24", 200)
                        .build())
                .isEqualTo(pair().rule("a", "10.0.0.0/8", null, 100, RuleOptions.priority(1000))
                        .rule("a", null, "192.0.2.0/24", 200)
                        .build());
        assertThatThrownBy(() -> pair().rule("a", -5, "10.0.0.0/8", null, 100).build())
                .hasMessageStartingWith("rule in a priority '-5' is invalid: a rule's priority is 0-4294967295");
    }

    @Test
    @DisplayName(
            "neighbour(ns, iface, ip, mac) and fdb(ns, iface, mac, dst) are neighbour(\"ns:iface\", ...) and fdb(\"ns:iface\", ...)")
    void neighbourAndFdb() {
        LabSpec.Builder old = LabSpec.builder().node("n1", "10.0.0.10/24").vxlan("n1", "vx", 1, "eth0");
        LabSpec.Builder readable = LabSpec.builder().node("n1", "10.0.0.10/24").vxlan("n1", "vx", 1, "eth0");
        assertThat(old.neighbour("n1", "vx", "10.244.2.0", "02:00:00:00:00:02")
                        .fdb("n1", "vx", "02:00:00:00:00:02", "10.0.0.20")
                        .build())
                .isEqualTo(readable.neighbour("n1:vx", "10.244.2.0", "02:00:00:00:00:02")
                        .fdb("n1:vx", "02:00:00:00:00:02", "10.0.0.20")
                        .build());
        assertThatThrownBy(() -> pair().neighbour("a", "v2", "10.0.0.9", "02:00:00:00:00")
                        .build())
                .hasMessageStartingWith("neighbour in a:v2 mac '02:00:00:00:00' is invalid");
        assertThatThrownBy(() ->
                        pair().fdb("a", "v2", "02:00:00:00:00:09", "10.0.0.9").build())
                .hasMessageStartingWith("fdb entry in a:v2 'v2' is invalid");
    }

    @Test
    @DisplayName("port(ns, iface, bridgeNs, bridge, peer) is port(\"ns:iface\", \"bridgeNs:bridge\", peer)")
    void port() {
        assertThat(LabSpec.builder()
                        .namespace("a")
                        .bridge("host", "br0")
                        .port("a", "eth0", "host", "br0", "veth1")
                        .build())
                .isEqualTo(LabSpec.builder()
                        .namespace("a")
                        .bridge("host", "br0")
                        .port("a:eth0", "host:br0", "veth1")
                        .build());
    }

    @Test
    @DisplayName(
            "macvlan and ipvlan(ns, name, parentNs, parent, mode) are macvlan and ipvlan(\"ns:name\", \"parentNs:parent\", mode)")
    void stackedDevices() {
        assertThat(pair().macvlan("b", "eth0", "a", "v2", "bridge")
                        .ipvlan("a", "ipv0", "a", "v2", "l2")
                        .build())
                .isEqualTo(pair().macvlan("b:eth0", "a:v2", "bridge")
                        .ipvlan("a:ipv0", "a:v2", "l2")
                        .build());
        assertThatThrownBy(() -> pair().macvlan("a", "m0", "a", "v2", "l2").build())
                .hasMessageStartingWith("macvlan a:m0 mode 'l2' is invalid");
    }

    @Test
    @DisplayName("container(name, bridgeNs, bridge, cidr) is container(name, \"bridgeNs:bridge\", cidr)")
    void container() {
        assertThat(LabSpec.builder()
                        .bridge("host", "br0", "172.16.0.1/24")
                        .container("c1", "host", "br0", "172.16.0.2/24")
                        .build())
                .isEqualTo(LabSpec.builder()
                        .bridge("host", "br0", "172.16.0.1/24")
                        .container("c1", "host:br0", "172.16.0.2/24")
                        .build());
        assertThatThrownBy(() -> LabSpec.builder()
                        .bridge("host", "br0")
                        .container("container-one", "host", "br0", "172.16.0.2/24")
                        .build())
                .hasMessageStartingWith(
                        "container 'container-one' is invalid: a container's name may be at most 10 bytes");
    }
}
