package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.Lab;
import dev.netnslab.NetInterface;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A containerlab topology run as it is, from {@code src/test/resources/labs/containerlab/lans.clab.yml}:
 * four hosts on a bridge node, a router between that LAN and a server, the server reaching the hosts by
 * a static route. Its {@code exec} commands address the nodes once the links are up.
 */
@Tag("kernel")
@DisplayName("A containerlab topology: a bridge with four hosts, a router, a server")
@dev.netnslab.junit.NetnsLab(file = "labs/containerlab/lans.clab.yml")
class ContainerlabLansTest {

    static final Map<String, String> ADDRESSES = Map.of(
            "router", "192.168.1.1",
            "h1", "192.168.1.11",
            "h2", "192.168.1.12",
            "h3", "192.168.1.13",
            "h4", "192.168.1.14",
            "server", "192.168.2.10");

    @Test
    @DisplayName("every node pings every other one")
    void everyPairPings(Lab lab) {
        for (String from : ADDRESSES.keySet()) {
            for (String to : ADDRESSES.keySet()) {
                if (!from.equals(to)) {
                    assertThat(lab.namespace(from)).canPing(ADDRESSES.get(to));
                }
            }
        }
    }

    @Test
    @DisplayName("the bridge node is a bridge of the lab's host side, its ports named as the endpoints say")
    void bridgeNodeInTheHostSide(Lab lab) {
        assertThat(lab.host()).hasInterface("switch");
        assertThat(lab.host().interfaces())
                .filteredOn(i -> "switch".equals(i.master()))
                .extracting(NetInterface::name)
                .containsExactlyInAnyOrder("sw-router", "sw-h1", "sw-h2", "sw-h3", "sw-h4");
        assertThat(lab.namespace("h1")).hasInterface("eth1").hasNoInterface("eth0");
    }

    @Test
    @DisplayName("the twin: h4 unplugged reaches nobody, and nobody reaches it")
    void unpluggedHostReachesNobody(Lab lab) {
        lab.link("h4", "eth1").down();
        try {
            for (String to : List.of("192.168.1.1", "192.168.1.11", "192.168.2.10")) {
                assertThat(lab.namespace("h4")).cannotPing(to);
            }
            assertThat(lab.namespace("server")).cannotPing("192.168.1.14").canPing("192.168.1.13");
        } finally {
            lab.link("h4", "eth1").up();
        }
    }
}
