package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ipv4CidrTest {

    @Nested
    @DisplayName("addresses")
    class Addresses {

        @ParameterizedTest
        @ValueSource(strings = {"0.0.0.0", "10.200.1.1", "255.255.255.255", "172.16.0.1"})
        void parsesAndPrintsBack(String text) {
            assertThat(Ipv4Address.parse("ip", text)).hasToString(text);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "10.200.1.300 | 0-255",
                "10.200.1     | exactly 4",
                "10.200.1.1.1 | exactly 4",
                "10.-1.1.1    | decimal number",
                "10.200.01.1  | leading zeros",
                "a.b.c.d      | decimal number",
                "10..1.1      | decimal number",
                "' 10.0.0.1'  | decimal number"})
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
    @DisplayName("prefixes")
    class Prefixes {

        @Test
        void defaultsToSlash24ForHosts() {
            Ipv4Cidr cidr = Ipv4Cidr.parseHost("ip", "10.200.1.1");
            assertThat(cidr).hasToString("10.200.1.1/24");
            assertThat(cidr.subnet()).hasToString("10.200.1.0/24");
            assertThat(cidr.lastHost()).hasToString("10.200.1.254");
            assertThat(cidr.firstHost()).hasToString("10.200.1.1");
            assertThat(cidr.broadcast()).hasToString("10.200.1.255");
        }

        @Test
        void computesOtherPrefixes() {
            Ipv4Cidr cidr = Ipv4Cidr.parseHost("ip", "172.16.5.9/20");
            assertThat(cidr.subnet()).hasToString("172.16.0.0/20");
            assertThat(cidr.lastHost()).hasToString("172.16.15.254");
            assertThat(cidr.contains(Ipv4Address.parse("x", "172.16.15.1"))).isTrue();
            assertThat(cidr.contains(Ipv4Address.parse("x", "172.16.16.1"))).isFalse();
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "10.200.1.1/33  | over 32",
                "10.200.1.1/    | must be a number",
                "10.200.1.1/-1  | must be a number",
                "10.200.1.1/x   | must be a number",
                "10.200.1.0/24  | network address",
                "10.200.1.255/24| broadcast address",
                "10.200.1.1/31  | prefix of 1-30",
                "10.200.1.1/32  | prefix of 1-30",
                "127.0.0.2/8    | loopback"})
        void rejectsBadHostAddresses(String text, String rule) {
            assertThatThrownBy(() -> Ipv4Cidr.parseHost("ip", text))
                    .isInstanceOf(InvalidLabSpecException.class)
                    .hasMessageStartingWith("ip '" + text + "' is invalid: ")
                    .hasMessageContaining(rule);
        }

        @Test
        void parsesRouteDestinations() {
            assertThat(Ipv4Cidr.parseNetwork("dest", "default").toRouteString()).isEqualTo("default");
            assertThat(Ipv4Cidr.parseNetwork("dest", "10.0.0.0/8").toRouteString()).isEqualTo("10.0.0.0/8");
            assertThat(Ipv4Cidr.parseNetwork("dest", "10.0.0.7").toRouteString()).isEqualTo("10.0.0.7");
            assertThatThrownBy(() -> Ipv4Cidr.parseNetwork("dest", "10.0.0.7/8"))
                    .hasMessageContaining("host bits zero, such as 10.0.0.0/8");
        }

        @Test
        void detectsOverlaps() {
            Ipv4Cidr a = Ipv4Cidr.parseHost("a", "10.0.0.1/16");
            assertThat(a.overlaps(Ipv4Cidr.parseHost("b", "10.0.200.1/24"))).isTrue();
            assertThat(a.overlaps(Ipv4Cidr.parseHost("b", "10.1.0.1/24"))).isFalse();
        }
    }
}
