package dev.netnslab.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.LabSpec;
import dev.netnslab.internal.engine.ApiBridge;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Neighbour table estimate")
class NeighbourEstimateTest {

    @Test
    @DisplayName("the single-namespace lab: one veth segment with two addresses, 2 entries")
    void singleNamespaceLab() {
        NeighbourEstimate estimate =
                NeighbourEstimate.of(ApiBridge.topology(LabSpec.singleNamespace("netns1", "10.200.1.1", null)));
        assertThat(estimate.entries()).isEqualTo(2);
        assertThat(estimate.largestSegment()).isEqualTo(2);
    }

    @Test
    @DisplayName("a star of 50 hosts and the bridge on one segment: 51 x 50 entries")
    void star() {
        LabSpec.Builder builder = LabSpec.builder().bridge("host", "br0", "10.1.0.1/16");
        for (int i = 1; i <= 50; i++) {
            builder.container("h" + i, "host:br0", "10.1.0." + (i + 1) + "/16");
        }
        NeighbourEstimate estimate = NeighbourEstimate.of(ApiBridge.topology(builder.build()));
        assertThat(estimate.entries()).isEqualTo(51L * 50);
        assertThat(estimate.largestSegment()).isEqualTo(51);
        assertThat(estimate.largestSegmentOf()).isEqualTo("host:br0");
    }

    @Test
    @DisplayName("VXLAN devices with one VNI join their bridges into one segment")
    void vxlanJoinsSegments() {
        LabSpec spec = LabSpec.builder()
                .node("n1", "10.0.0.10/24")
                .node("n2", "10.0.0.20/24")
                .bridge("n1", "br0")
                .bridge("n2", "br0")
                .vxlan("n1", "vx", 7, "eth0", "10.0.0.20")
                .vxlan("n2", "vx", 7, "eth0", "10.0.0.10")
                .master("n1", "vx", "br0")
                .master("n2", "vx", "br0")
                .container("c1", "n1", "172.16.0.2/24")
                .container("c2", "n2", "172.16.0.3/24")
                .container("c3", "n2", "172.16.0.4/24")
                .build();
        // underlay: 2 nodes -> 2 entries; overlay: 3 containers -> 6 entries
        assertThat(NeighbourEstimate.of(ApiBridge.topology(spec)).entries()).isEqualTo(8);
    }
}
