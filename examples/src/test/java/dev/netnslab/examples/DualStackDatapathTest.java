package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.InterfaceAddress;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.junit.Netns;
import dev.netnslab.junit.NetnsLab;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * IPv4 and IPv6 side by side: namespaces {@code a} and {@code b} on two sides of a router
 * {@code r}, each link with an IPv4 /24 and an IPv6 /64. {@code a}'s IPv6 default route goes via
 * the router's link-local address {@code fe80::1} (which needs the device), {@code b}'s via a
 * global one, as routers usually announce and as operators usually configure. The addresses are
 * usable the moment the lab is handed over: no first ping races duplicate address detection.
 * {@link WithoutIpv6Forwarding} turns IPv6 forwarding off on the router and expects IPv6 alone to
 * break.
 */
@Tag("kernel")
@DisplayName("DualStack: IPv4 and IPv6 side by side through one router")
@NetnsLab(topology = DualStackDatapathTest.DualStack.class)
class DualStackDatapathTest {

    static LabSpec dualStack(boolean ipv6Forwarding) {
        return LabSpec.builder()
                .namespace("a")
                .namespace("r")
                .namespace("b")
                .veth("a:eth0", "r:left")
                .veth("b:eth0", "r:right")
                .address("a", "eth0", "10.1.0.2/24")
                .address("a", "eth0", "fd00:1::2/64")
                .address("r", "left", "10.1.0.1/24")
                .address("r", "left", "fd00:1::1/64")
                .address("r", "left", "fe80::1/64")
                .address("r", "right", "10.2.0.1/24")
                .address("r", "right", "fd00:2::1/64")
                .address("b", "eth0", "10.2.0.2/24")
                .address("b", "eth0", "fd00:2::2/64")
                .route("a", "default", "10.1.0.1")
                .route("a:eth0", "default", "fe80::1")
                .route("b", "default", "10.2.0.1")
                .route("b", "default", "fd00:2::1")
                .ipForward("r", true)
                .ipv6Forward("r", ipv6Forwarding)
                .build();
    }

    static class DualStack implements LabTopology {
        @Override
        public LabSpec define() {
            return dualStack(true);
        }
    }

    @Test
    @DisplayName("a and b reach each other over IPv4, both ways")
    void ipv4(@Netns("a") Namespace a, @Netns("b") Namespace b) {
        assertThat(a).canPing("10.2.0.2");
        assertThat(b).canPing("10.1.0.2");
    }

    @Test
    @DisplayName("a and b reach each other over IPv6, both ways, a through a link-local gateway")
    void ipv6(@Netns("a") Namespace a, @Netns("b") Namespace b) {
        assertThat(a).canPing("fd00:2::2");
        assertThat(b).canPing("fd00:1::2");
    }

    @Test
    @DisplayName("each side reaches the router in both families, and the router reaches both sides")
    void router(@Netns("a") Namespace a, @Netns("b") Namespace b, @Netns("r") Namespace r) {
        assertThat(a).canPing("10.1.0.1");
        assertThat(a).canPing("fd00:1::1");
        assertThat(b).canPing("fd00:2::1");
        assertThat(r).canPing("10.2.0.2");
        assertThat(r).canPing("fd00:1::2");
    }

    @Test
    @DisplayName(
            "each interface holds both families, none of them tentative, and a's IPv6 default is the link-local gateway")
    void bothFamilies(@Netns("a") Namespace a) {
        assertThat(a.addresses())
                .filteredOn(address ->
                        address.iface().equals("eth0") && !address.address().startsWith("fe80:"))
                .extracting(InterfaceAddress::cidr)
                .containsExactlyInAnyOrder("10.1.0.2/24", "fd00:1::2/64");
        assertThat(a.exec("ip", "-6", "addr", "show", "tentative").stdout()).isBlank();
        assertThat(a.exec("ip", "-6", "route", "show", "default").stdout()).contains("default via fe80::1 dev eth0");
        assertThat(a).canPing("fd00:2::2");
    }

    static class NoIpv6Forwarding implements LabTopology {
        @Override
        public LabSpec define() {
            return dualStack(false);
        }
    }

    @Nested
    @DisplayName("with IPv6 forwarding off on the router")
    class WithoutIpv6Forwarding {

        @Test
        @NetnsLab(topology = NoIpv6Forwarding.class)
        @DisplayName("IPv6 between a and b breaks both ways, while IPv4 still works both ways")
        void onlyIpv6Breaks(@Netns("a") Namespace a, @Netns("b") Namespace b) {
            assertThat(a).cannotPing("fd00:2::2");
            assertThat(b).cannotPing("fd00:1::2");
            assertThatThrownBy(() -> assertThat(a).canPing("fd00:2::2"))
                    .hasMessageContaining("Expecting namespace <a> to reach <fd00:2::2>")
                    .hasMessageContaining("forwarding");
            assertThat(a).canPing("fd00:1::1");
            assertThat(a).canPing("10.2.0.2");
            assertThat(b).canPing("10.1.0.2");
        }
    }
}
