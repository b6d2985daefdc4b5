package dev.netnslab.internal.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which batch lines are done over netlink, and which leave the whole script to ip: no socket, no root. */
@DisplayName("NetlinkBatch takes the common lines and leaves the rest to ip")
class NetlinkBatchTest {

    @Test
    @DisplayName("the lines a container's batch has: loopback, link settings, bridges, addresses, links up, routes")
    void common() {
        assertThat(NetlinkBatch.parse(List.of(
                        "link set lo up",
                        "link add name br0 type bridge",
                        "link set dev veth-c1 master br0",
                        "link set dev eth0 addrgenmode none",
                        "link set dev eth0 mtu 1450",
                        "addr add 10.0.0.10/24 dev eth0",
                        "addr add 2001:db8::1/64 dev eth0 nodad",
                        "addr add fe80::1/64 dev eth0 nodad noprefixroute",
                        "link set dev eth0 up",
                        "route add default via 172.16.0.1",
                        "route add ::/0 via 2001:db8::fe dev eth0",
                        "route add 10.9.0.0/16 dev eth0")))
                .hasValueSatisfying(batch -> assertThat(batch.size()).isEqualTo(12));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "link set dev eth0 mtu 1400 up",
                "link set dev eth0 addrgenmode eui64",
                "link set dev eth0 address 02:00:00:00:00:01",
                "link add name vx type vxlan id 4 dstport 4789",
                "addr add 10.0.0.1/24 dev eth0 nodad",
                "addr add 10.0.0.1/33 dev eth0",
                "addr add example.org/24 dev eth0",
                "addr add 10.0.0.1/24 dev $(reboot)",
                "route add 10.0.0.0/8 via inet6 fe80::1 dev eth0",
                "route add 10.0.0.0/8 via 10.0.0.1 onlink",
                "route add blackhole 10.0.0.0/8",
                "route add 10.0.0.0/8",
                "route add 10.0.0.0/8 via 2001:db8::1",
                "neigh add 10.0.0.1 lladdr 02:00:00:00:00:01 dev eth0",
                "link set dev a-name-longer-than-15 up"
            })
    @DisplayName("any other line leaves the whole script to ip")
    void others(String line) {
        assertThat(NetlinkBatch.parse(List.of("link set lo up", line))).isEmpty();
    }

    @Test
    @DisplayName("a route's destination is sent with its host bits cleared")
    void masked() {
        byte[] bytes = NetlinkBatch.masked(NetlinkBatch.Cidr.parse("10.1.2.3/12"));
        assertThat(bytes).containsExactly(10, 0, 0, 0);
        byte[] v6 = NetlinkBatch.masked(NetlinkBatch.Cidr.parse("2001:db8::1/64"));
        assertThat(v6[15]).isZero();
        assertThat(v6[0]).isEqualTo((byte) 0x20);
    }

    @Test
    @DisplayName("literals only: a name is never looked up")
    void literals() {
        assertThat(NetlinkBatch.literal("localhost")).isNull();
        assertThat(NetlinkBatch.literal("256.1.1.1")).isNull();
        assertThat(NetlinkBatch.literal("10.0.0.1")).isNotNull();
        assertThat(NetlinkBatch.literal("fe80::1")).isNotNull();
    }
}
