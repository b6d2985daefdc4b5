package dev.netnslab.internal.iproute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.InterfaceAddress;
import dev.netnslab.NetInterface;
import dev.netnslab.Route;
import org.junit.jupiter.api.Test;

class IpJsonTest {

    private static final String LINKS =
            "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\",\"LOWER_UP\"],"
                    + "\"mtu\":65536,\"operstate\":\"UNKNOWN\",\"address\":\"00:00:00:00:00:00\","
                    + "\"stats64\":{\"rx\":{\"bytes\":3245,\"packets\":30,\"dropped\":0},\"tx\":{\"bytes\":3245,\"packets\":31,\"dropped\":2}}},"
                    + "{\"ifindex\":2,\"link_index\":2,\"ifname\":\"veth2\",\"flags\":[\"BROADCAST\",\"MULTICAST\"],\"mtu\":1500,"
                    + "\"operstate\":\"DOWN\",\"master\":\"br0\",\"address\":\"d2:d7:fa:99:a9:63\",\"link_netnsid\":0}]";

    @Test
    void readsLinksWithCounters() {
        assertThat(IpJson.links(LINKS))
                .containsExactly(
                        new NetInterface(
                                "lo",
                                1,
                                "UNKNOWN",
                                java.util.List.of("LOOPBACK", "UP", "LOWER_UP"),
                                65536,
                                "00:00:00:00:00:00",
                                null,
                                new NetInterface.Counters(30, 3245, 0, 31, 3245, 2)),
                        new NetInterface(
                                "veth2",
                                2,
                                "DOWN",
                                java.util.List.of("BROADCAST", "MULTICAST"),
                                1500,
                                "d2:d7:fa:99:a9:63",
                                "br0",
                                NetInterface.Counters.NONE));
        assertThat(IpJson.links(LINKS).get(0).isUp()).isTrue();
    }

    @Test
    void readsAddressesOfBothFamilies() {
        String json =
                "[{\"ifindex\":1,\"ifname\":\"lo\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"127.0.0.1\",\"prefixlen\":8},"
                        + "{\"family\":\"inet6\",\"local\":\"::1\",\"prefixlen\":128}]},{\"ifindex\":2,\"ifname\":\"veth2\",\"addr_info\":[]}]";
        assertThat(IpJson.addresses(json))
                .containsExactly(
                        new InterfaceAddress("lo", "inet", "127.0.0.1", 8),
                        new InterfaceAddress("lo", "inet6", "::1", 128));
        assertThat(IpJson.addresses(json).get(0).cidr()).isEqualTo("127.0.0.1/8");
    }

    @Test
    void readsRoutes() {
        String json = "[{\"dst\":\"default\",\"gateway\":\"10.200.1.254\",\"dev\":\"veth2\",\"flags\":[]},"
                + "{\"dst\":\"10.200.1.0/24\",\"dev\":\"veth2\",\"protocol\":\"kernel\",\"scope\":\"link\",\"prefsrc\":\"10.200.1.1\",\"flags\":[\"linkdown\"]}]";
        assertThat(IpJson.routes(json))
                .containsExactly(
                        new Route("default", "10.200.1.254", "veth2", null, null),
                        new Route(
                                "10.200.1.0/24",
                                null,
                                "veth2",
                                "kernel",
                                "link",
                                "10.200.1.1",
                                0,
                                "main",
                                "unicast",
                                java.util.List.of("linkdown")));
        assertThat(IpJson.routes(json).get(0)).hasToString("default via 10.200.1.254 dev veth2");
        assertThat(IpJson.routes(json).get(1))
                .hasToString("10.200.1.0/24 dev veth2 scope link src 10.200.1.1 linkdown");
    }

    @Test
    void readsEmptyOutputAsNothing() {
        assertThat(IpJson.routes("")).isEmpty();
        assertThat(IpJson.routes("[]\n")).isEmpty();
    }

    @Test
    void handlesEscapesAndRejectsGarbage() {
        assertThat(IpJson.routes("[{\"dst\":\"a\\\"b\\u0041\"}]").get(0).destination())
                .isEqualTo("a\"bA");
        assertThatThrownBy(() -> IpJson.routes("[{\"dst\":}]")).hasMessageContaining("Cannot parse ip -json output");
        assertThatThrownBy(() -> IpJson.routes("{}")).hasMessageContaining("Expected a JSON array");
    }
}
