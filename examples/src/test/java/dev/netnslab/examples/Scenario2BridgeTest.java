package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.NetInterface;
import dev.netnslab.junit.Netns;
import dev.netnslab.junit.NetnsLab;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Part 2 of the series: two namespaces plugged into a bridge on the host, so they share one
 * layer-2 segment ({@code 172.16.0.0/24}) with the bridge's address as their gateway.
 * {@link Unplugged} takes netns2's cable out of the bridge and expects the pings to fail.
 */
@Tag("kernel")
@DisplayName("Scenario 2: two namespaces on a bridge")
@NetnsLab(topology = Scenario2BridgeTest.BridgeLab.class)
class Scenario2BridgeTest {

    /** br0 on the host with 172.16.0.1; netns1 (172.16.0.2) and netns2 (172.16.0.3) hang off it. */
    static class BridgeLab implements LabTopology {
        @Override
        public LabSpec define() {
            return LabSpec.builder()
                    .bridge("host", "br0", "172.16.0.1/24")
                    .container("netns1", "host:br0", "172.16.0.2/24")
                    .container("netns2", "host:br0", "172.16.0.3/24")
                    .build();
        }
    }

    @Test
    @DisplayName("netns1 and netns2 ping each other across the bridge")
    void namespacesReachEachOther(@Netns("netns1") Namespace netns1, @Netns("netns2") Namespace netns2) {
        assertThat(netns1).canPing("172.16.0.3");
        assertThat(netns2).canPing("172.16.0.2");
    }

    @Test
    @DisplayName("both namespaces ping the bridge's address, and the host pings them")
    void namespacesReachTheBridge(Lab lab, @Netns("netns1") Namespace netns1, @Netns("netns2") Namespace netns2) {
        assertThat(netns1).canPing("172.16.0.1");
        assertThat(netns2).canPing("172.16.0.1");
        assertThat(lab.host()).canPing("172.16.0.2").canPing("172.16.0.3");
    }

    @Test
    @DisplayName("the host-side veths are ports of br0, and br0 carries the gateway address")
    void vethsArePortsOfTheBridge(Lab lab) {
        assertThat(lab.host()).hasInterface("br0").hasAddress("172.16.0.1/24");
        assertThat(lab.host().interfaces())
                .filteredOn(i -> "br0".equals(i.master()))
                .extracting(NetInterface::name)
                .containsExactlyInAnyOrder("veth-netns1", "veth-netns2");
    }

    @Test
    @DisplayName("each namespace routes by default via the bridge")
    void defaultRouteViaTheBridge(@Netns("netns1") Namespace netns1) {
        assertThat(netns1).hasInterface("eth0").hasAddress("172.16.0.2/24").hasRoute("default");
        assertThat(netns1.exec("ip", "route").stdout()).contains("default via 172.16.0.1 dev eth0");
    }

    @Test
    @DisplayName("a bridge port in another namespace is refused before anything is created")
    void bridgePortInAnotherNamespaceIsRefused() {
        LabSpec.Builder wrong = LabSpec.builder()
                .bridge("host", "br0")
                .namespace("netns1")
                .veth("host:veth1", "netns1:veth2")
                .master("netns1", "veth2", "br0");

        assertThatThrownBy(wrong::build)
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining("bridge port netns1:veth2")
                .hasMessageContaining("'br0'")
                .hasMessageContaining("bridge br0 is in namespace host");
    }

    @Nested
    @DisplayName("with netns2 unplugged from the bridge")
    class Unplugged {

        @Test
        @NetnsLab(topology = BridgeLab.class)
        @DisplayName("netns1 still reaches the bridge, but no longer netns2")
        void pingsToNetns2Fail(Lab lab, @Netns("netns1") Namespace netns1) {
            assertThat(lab.host()
                            .exec("ip", "link", "set", "veth-netns2", "nomaster")
                            .isSuccess())
                    .isTrue();

            assertThat(netns1).canPing("172.16.0.1");
            assertThat(netns1).cannotPing("172.16.0.3");
            assertThatThrownBy(() -> assertThat(netns1).canPing("172.16.0.3"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to reach <172.16.0.3>");
        }
    }
}
