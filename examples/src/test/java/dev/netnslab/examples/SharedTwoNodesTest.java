package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.junit.Netns;
import dev.netnslab.junit.NetnsLab;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A second test class on the shared {@link TwoNodes} lab: with {@code shared = true} it reuses the
 * lab that {@link Scenario3MultiNodeRoutingTest} uses (or builds it first, if it runs first), so
 * the lab is built once per run. Its broken twin is {@link Scenario3MultiNodeRoutingTest.ForwardingOff}.
 */
@Tag("kernel")
@DisplayName("Shared fixture: a second class on the TwoNodes lab")
@NetnsLab(topology = TwoNodes.class, shared = true)
class SharedTwoNodesTest {

    @Netns("c2")
    Namespace c2;

    @Test
    @DisplayName("the lab was built once for both classes")
    void builtOnce(Lab lab) {
        assertThat(TwoNodes.builds()).isEqualTo(1);
        assertThat(lab.namespace("c2")).isSameAs(c2);
    }

    @Test
    @DisplayName("c2 reaches c1 and both node addresses")
    void c2ReachesEverything() {
        assertThat(c2).canPing("172.16.0.2").canPing("10.0.0.10").canPing("10.0.0.20");
    }

    @Test
    @DisplayName("c2's own node is its gateway")
    void gatewayIsOwnNode() {
        assertThat(c2.exec("ip", "route", "get", "172.16.0.2").stdout()).contains("via 172.16.1.1 dev eth0");
    }
}
