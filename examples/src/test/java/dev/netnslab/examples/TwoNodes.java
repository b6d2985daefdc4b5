package dev.netnslab.examples;

import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two machines (VMs, when the exercise is built by hand) on one kernel: node1 (underlay 10.0.0.10) and node2 (10.0.0.20) on the lab's
 * underlay switch, each with a bridge and a container, and a route on each node to the other
 * node's container subnet. Shared by {@link Scenario3MultiNodeRoutingTest} and
 * {@link SharedTwoNodesTest}, which ask for it with {@code shared = true} and so get one build.
 */
public class TwoNodes implements LabTopology {

    private static final AtomicInteger BUILDS = new AtomicInteger();

    /** The lab as a builder, so that variants (see the broken twins) can change one thing. */
    static LabSpec.Builder builder() {
        return LabSpec.builder()
                .node("node1", "10.0.0.10/24", "172.16.0.1/24")
                .node("node2", "10.0.0.20/24", "172.16.1.1/24")
                .container("c1", "node1", "172.16.0.2/24")
                .container("c2", "node2", "172.16.1.2/24")
                .route("node1", "172.16.1.0/24", "10.0.0.20")
                .route("node2", "172.16.0.0/24", "10.0.0.10");
    }

    @Override
    public LabSpec define() {
        BUILDS.incrementAndGet();
        return builder().build();
    }

    /** How many times the extension asked for this lab in this JVM. */
    static int builds() {
        return BUILDS.get();
    }
}
