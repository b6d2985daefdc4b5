package dev.netnslab.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.InvalidLabSpecException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("IP addresses and prefixes, IPv4 and IPv6")
class IpCidrTest {

    @Nested
    @DisplayName("addresses")
    class Addresses {

        @ParameterizedTest
        @ValueSource(strings = {"0.0.0.0", "10.200.1.1", "255.255.255.255", "172.16.0.1"})
        void parsesAndPrintsBack(String text) {
            assertThat(Ipv4Address.parse("ip", text)).hasToString(text);
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "10.200.1.300 | 0-255",
                    "10.200.1     | exactly 4",
                    "10.200.1.1.1 | exactly 4",
                    "10.-1.1.1    | decimal number",
                    "10.200.01.1  | leading zeros",
                    "a.b.c.d      | decimal number",
                    "10..1.1      | decimal number",
                    "' 10.0.0.1'  | decimal number"
                })
        void rejectsWithAttributeValueAndRule(String text, String rule) {
            assertThatThrownBy(() -> Ipv4Address.parse("ip", text))
                    .isInstanceOf(InvalidLabSpecException.class)
                    .hasMessageStartingWith("ip '" + text + "' is invalid: ")
                    .hasMessageContaining(rule);
        }

        @Test
        void rejectsNullAndEmpty() {
            assertThatThrownBy(() -> Ipv4Address.parse("ip", "")).hasMessageContaining("required");
            assertThatThrownBy(() -> Ipv4Address.parse("ip", null)).hasMessageContaining("required");
        }
    }

    @Nested
    @DisplayName("IPv6 addresses")
    class Ipv6Addresses {

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "fd00::1                 | fd00::1",
                    "FD00:0:0:0:0:0:0:1      | fd00::1",
                    "::                      | ::",
                    "::1                     | ::1",
                    "2001:db8:0:0:1:0:0:1    | 2001:db8::1:0:0:1",
                    "2001:0:0:1:0:0:0:1      | 2001:0:0:1::1",
                    "1:2:3:4:5:6:7::         | 1:2:3:4:5:6:7:0",
                    "fe80::ecee:eeff:feee:eeee | fe80::ecee:eeff:feee:eeee",
                    "::ffff:10.0.0.1         | ::ffff:10.0.0.1",
                    "0:0:0:0:0:0:0:0         | ::"
                })
        @DisplayName("prints the form ip prints (RFC 5952)")
        void printsCanonically(String text, String canonical) {
            assertThat(IpAddress.parse("ip", text)).hasToString(canonical);
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "1::2::3            | only once",
                    "12345::            | 1-4 hex digits",
                    "g::1               | 1-4 hex digits",
                    "fe80::1%eth0       | zone index",
                    "1:2:3:4:5:6:7:8:9  | 8 groups",
                    "1:2:3:4:5:6:7      | 8 groups",
                    "::1:2:3:4:5:6:7:8  | at most 7 groups",
                    "1.2.3.4::          | last 32 bits",
                    ":1::               | 1-4 hex digits"
                })
        void rejectsWithAttributeValueAndRule(String text, String rule) {
            assertThatThrownBy(() -> IpAddress.parse("ip", text))
                    .isInstanceOf(InvalidLabSpecException.class)
                    .hasMessageStartingWith("ip '" + text + "' is invalid: ")
                    .hasMessageContaining(rule);
        }

        @Test
        void knowsItsKind() {
            assertThat(IpAddress.parse("x", "fe80::1").isLinkLocal()).isTrue();
            assertThat(IpAddress.parse("x", "fd00::1").isLinkLocal()).isFalse();
            assertThat(IpAddress.parse("x", "169.254.1.1").isLinkLocal()).isTrue();
            assertThat(IpAddress.parse("x", "ff02::1").isMulticast()).isTrue();
            assertThat(IpAddress.parse("x", "::").isUnspecified()).isTrue();
            assertThat(IpAddress.parse("x", "fd00::1").compareTo(IpAddress.parse("x", "10.0.0.1")))
                    .isPositive();
        }
    }

    @Nested
    @DisplayName("prefixes")
    class Prefixes {

        @Test
        void defaultsToSlash24ForHosts() {
            IpCidr cidr = IpCidr.parseHost("ip", "10.200.1.1");
            assertThat(cidr).hasToString("10.200.1.1/24");
            assertThat(cidr.subnet()).hasToString("10.200.1.0/24");
            assertThat(cidr.lastHost()).hasToString("10.200.1.254");
            assertThat(cidr.firstHost()).hasToString("10.200.1.1");
            assertThat(cidr.broadcast()).hasToString("10.200.1.255");
        }

        @Test
        void computesOtherPrefixes() {
            IpCidr cidr = IpCidr.parseHost("ip", "172.16.5.9/20");
            assertThat(cidr.subnet()).hasToString("172.16.0.0/20");
            assertThat(cidr.lastHost()).hasToString("172.16.15.254");
            assertThat(cidr.contains(Ipv4Address.parse("x", "172.16.15.1"))).isTrue();
            assertThat(cidr.contains(Ipv4Address.parse("x", "172.16.16.1"))).isFalse();
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "10.200.1.1/33  | over 32",
                    "10.200.1.1/    | must be a number",
                    "10.200.1.1/-1  | must be a number",
                    "10.200.1.1/x   | must be a number",
                    "10.200.1.255/24| broadcast address",
                    "127.0.0.2/8    | loopback",
                    "224.0.0.5/24   | multicast",
                    "0.0.0.0/8      | unspecified",
                    "fd00::1/129    | over 128",
                    "ff02::1/64     | multicast",
                    "::1/128        | loopback",
                    "::/64          | unspecified"
                })
        void rejectsBadHostAddresses(String text, String rule) {
            assertThatThrownBy(() -> IpCidr.parseHost("ip", text))
                    .isInstanceOf(InvalidLabSpecException.class)
                    .hasMessageStartingWith("ip '" + text + "' is invalid: ")
                    .hasMessageContaining(rule);
        }

        @ParameterizedTest
        @DisplayName(
                "accepts what the kernel accepts and real datapaths use: /31, /32, /127, /128, a subnet's first address")
        @ValueSource(
                strings = {
                    "10.200.1.0/31",
                    "10.200.1.1/31",
                    "10.200.1.1/32",
                    "10.244.1.0/32",
                    "10.200.1.0/24",
                    "172.16.0.100/16",
                    "10.0.0.1/0",
                    "fd00::1/127",
                    "fd00::1/128",
                    "fe80::1/64",
                    "2001:db8::/64"
                })
        void acceptsEveryHostAddressTheKernelTakes(String text) {
            assertThat(IpCidr.parseHost("ip", text))
                    .hasToString(IpCidr.parse("ip", text, -1).toString());
        }

        @Test
        void defaultsToSlash64ForIpv6Hosts() {
            IpCidr cidr = IpCidr.parseHost("ip", "FD00:0:0:1::2");
            assertThat(cidr).hasToString("fd00:0:0:1::2/64");
            assertThat(cidr.subnet()).hasToString("fd00:0:0:1::/64");
            assertThat(cidr.contains(IpAddress.parse("x", "fd00:0:0:1:ffff::9")))
                    .isTrue();
            assertThat(cidr.contains(IpAddress.parse("x", "fd00:0:0:2::9"))).isFalse();
            assertThat(cidr.contains(IpAddress.parse("x", "10.0.0.1"))).isFalse();
        }

        @Test
        void slash31And32HaveNoNetworkOrBroadcastAddress() {
            IpCidr p2p = IpCidr.parseHost("ip", "10.0.0.0/31");
            assertThat(p2p.firstHost()).hasToString("10.0.0.0");
            assertThat(p2p.lastHost()).hasToString("10.0.0.1");
            IpCidr host = IpCidr.parseHost("ip", "10.0.0.7/32");
            assertThat(host.firstHost()).hasToString("10.0.0.7");
            assertThat(host.lastHost()).hasToString("10.0.0.7");
        }

        @Test
        void parsesIpv6RouteDestinations() {
            assertThat(IpCidr.parseNetwork("dest", "::/0").toRouteString()).isEqualTo("default");
            assertThat(IpCidr.parseNetwork("dest", "::/0").family()).isEqualTo(IpAddress.Family.IPV6);
            assertThat(IpCidr.parseNetwork("dest", "fd00:2::/64").toRouteString())
                    .isEqualTo("fd00:2::/64");
            assertThat(IpCidr.parseNetwork("dest", "fd00::5").toRouteString()).isEqualTo("fd00::5");
            assertThatThrownBy(() -> IpCidr.parseNetwork("dest", "fd00::5/64"))
                    .hasMessageContaining("host bits zero, such as fd00::/64");
        }

        @Test
        void parsesRouteDestinations() {
            assertThat(IpCidr.parseNetwork("dest", "default").toRouteString()).isEqualTo("default");
            assertThat(IpCidr.parseNetwork("dest", "10.0.0.0/8").toRouteString())
                    .isEqualTo("10.0.0.0/8");
            assertThat(IpCidr.parseNetwork("dest", "10.0.0.7").toRouteString()).isEqualTo("10.0.0.7");
            assertThatThrownBy(() -> IpCidr.parseNetwork("dest", "10.0.0.7/8"))
                    .hasMessageContaining("host bits zero, such as 10.0.0.0/8");
        }

        @Test
        void detectsOverlaps() {
            IpCidr a = IpCidr.parseHost("a", "10.0.0.1/16");
            assertThat(a.overlaps(IpCidr.parseHost("b", "10.0.200.1/24"))).isTrue();
            assertThat(a.overlaps(IpCidr.parseHost("b", "10.1.0.1/24"))).isFalse();
            IpCidr v6 = IpCidr.parseHost("a", "fd00::1/48");
            assertThat(v6.overlaps(IpCidr.parseHost("b", "fd00:0:0:5::1/64"))).isTrue();
            assertThat(v6.overlaps(IpCidr.parseHost("b", "fd01::1/64"))).isFalse();
            assertThat(v6.overlaps(a)).isFalse();
        }
    }
}
