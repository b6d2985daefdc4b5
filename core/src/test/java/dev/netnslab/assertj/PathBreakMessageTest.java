package dev.netnslab.assertj;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.testing.Kernel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A failed reachability check on a multi-hop lab names where the path breaks. The lab is the
 * examples' two routed nodes: c1 behind node1's bridge, c2 behind node2's, the nodes on the
 * host's underlay, each node routing the other's container subnet. Each test breaks it one way
 * and reads the message; each starts from the lab that works, whose check passes.
 */
@Tag("kernel")
@DisplayName("A failed check says where the path breaks")
class PathBreakMessageTest {

    private static LabSpec.Builder twoNodes() {
        return twoNodes(0);
    }

    private static LabSpec.Builder twoNodes(int rpFilter) {
        return LabSpec.builder()
                .node("node1", "10.0.0.10/24", "172.16.0.1/24")
                .node("node2", "10.0.0.20/24", "172.16.1.1/24")
                .container("c1", "node1", "172.16.0.2/24")
                .container("c2", "node2", "172.16.1.2/24")
                // rp_filter off on the nodes so that the missing return route shows up as that, not as a reverse-path
                // drop.
                .rpFilter("node1", rpFilter)
                .rpFilter("node2", rpFilter);
    }

    private static String failureOf(Lab lab, String from, String target) {
        Namespace source = lab.namespace(from);
        AssertionError failure = catchThrowableOfType(
                AssertionError.class, () -> assertThat(source).canPing(target));
        assertThat(failure).as("canPing %s from %s should fail", target, from).isNotNull();
        return failure.getMessage();
    }

    @Test
    @DisplayName("the twin that works: both routes present, c1 reaches c2")
    void worksWithBothRoutes() {
        try (Lab lab = Lab.start(
                twoNodes()
                        .route("node1", "172.16.1.0/24", "10.0.0.20")
                        .route("node2", "172.16.0.0/24", "10.0.0.10")
                        .build(),
                Kernel.backend())) {
            assertThat(lab.namespace("c1")).canPing("172.16.1.2");
        }
    }

    @Test
    @DisplayName("a missing forward route: the message names node1 and the words 'no route'")
    void missingForwardRoute() {
        try (Lab lab = Lab.start(
                twoNodes().route("node2", "172.16.0.0/24", "10.0.0.10").build(), Kernel.backend())) {
            assertThat(failureOf(lab, "c1", "172.16.1.2"))
                    .contains("Where the path breaks:")
                    .contains("there: c1 -> node1 (via eth0): node1 has no route to 172.16.1.2");
        }
    }

    @Test
    @DisplayName("a missing return route: the echo arrives, and the message names node2 on the way back")
    void missingReturnRoute() {
        try (Lab lab = Lab.start(
                twoNodes().route("node1", "172.16.1.0/24", "10.0.0.20").build(), Kernel.backend())) {
            assertThat(failureOf(lab, "c1", "172.16.1.2"))
                    .contains("there: c1 -> node1 (via eth0) -> node2 (via eth0) -> c2 (via br0): arrives")
                    .contains("back:  c2 -> node2 (via eth0): node2 has no route to 172.16.0.2 (the reply to c1)");
        }
    }

    @Test
    @DisplayName("forwarding off on a node")
    void forwardingOff() {
        try (Lab lab = Lab.start(
                twoNodes()
                        .route("node1", "172.16.1.0/24", "10.0.0.20")
                        .route("node2", "172.16.0.0/24", "10.0.0.10")
                        .ipForward("node2", false)
                        .build(),
                Kernel.backend())) {
            assertThat(failureOf(lab, "c1", "172.16.1.2"))
                    .contains(
                            "c1 -> node1 (via eth0) -> node2 (via eth0): forwarding is off in node2 (net.ipv4.conf.eth0.forwarding=0)");
        }
    }

    @Test
    @DisplayName("a container's link set down by a fault")
    void linkDown() {
        try (Lab lab = Lab.start(
                twoNodes()
                        .route("node1", "172.16.1.0/24", "10.0.0.20")
                        .route("node2", "172.16.0.0/24", "10.0.0.10")
                        .build(),
                Kernel.backend())) {
            assertThat(lab.namespace("c2")
                            .exec("ip", "link", "set", "eth0", "down")
                            .isSuccess())
                    .isTrue();
            assertThat(failureOf(lab, "c1", "172.16.1.2")).contains("c2's eth0 is down");
        }
    }

    @Test
    @DisplayName("strict rp_filter on a node whose route back to the source leaves by another interface")
    void reversePathFilter() {
        try (Lab lab = Lab.start(
                twoNodes(1)
                        .route("node1", "172.16.1.0/24", "10.0.0.20")
                        .route("node2", "172.16.0.0/24", "172.16.1.2")
                        .build(),
                Kernel.backend())) {
            assertThat(failureOf(lab, "c1", "172.16.1.2"))
                    .contains(
                            "c1 -> node1 (via eth0) -> node2 (via eth0): rp_filter=1 in node2 drops it: it arrives on eth0 "
                                    + "from 172.16.0.2, but its route back to 172.16.0.2 leaves via br0");
        }
    }

    @Test
    @DisplayName("a firewall rule that drops the echo on a node, named with the packets it counted")
    void firewallDrop() {
        try (Lab lab = Lab.start(
                twoNodes()
                        .route("node1", "172.16.1.0/24", "10.0.0.20")
                        .route("node2", "172.16.0.0/24", "10.0.0.10")
                        .iptables("node2", "-A", "FORWARD", "-d", "172.16.1.2", "-p", "icmp", "-j", "DROP")
                        .build(),
                Kernel.backend())) {
            assertThat(failureOf(lab, "c1", "172.16.1.2"))
                    .contains("c1 -> node1 (via eth0) -> node2 (via eth0): node2's firewall dropped it: ")
                    .contains("-A FORWARD -d 172.16.1.2/32 -p icmp -j DROP (1 packet)");
        }
    }
}
