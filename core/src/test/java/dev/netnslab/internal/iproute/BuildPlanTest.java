package dev.netnslab.internal.iproute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.LabSpec;
import dev.netnslab.internal.engine.ApiBridge;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildPlanTest {

    @Test
    void rendersTheSingleNamespaceLabAsOneRootBatchAndOneBatchPerNamespace() {
        BuildPlan plan = BuildPlan.render(
                ApiBridge.topology(LabSpec.singleNamespace("netns1", "10.200.1.1", null)), name -> name + "-nltest00");

        assertThat(plan.systemNames())
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("host", "host-nltest00"),
                        org.assertj.core.api.Assertions.entry("netns1", "netns1-nltest00"));
        assertThat(plan.rootBatch())
                .containsExactly(
                        "netns add host-nltest00",
                        "netns add netns1-nltest00",
                        "link add name veth1 index 100000000 netns host-nltest00 type veth peer name veth2 index 100000001 netns netns1-nltest00");
        assertThat(plan.namespaceBatches().get("host-nltest00"))
                .containsExactly("link set lo up", "addr add 10.200.1.254/24 dev veth1", "link set dev veth1 up");
        assertThat(plan.namespaceBatches().get("netns1-nltest00"))
                .containsExactly(
                        "link set lo up",
                        "addr add 10.200.1.1/24 dev veth2",
                        "link set dev veth2 up",
                        "route add default via 10.200.1.254");
    }

    @Test
    void teardownDeletesOnlyTheGivenNamespacesThenLists() {
        assertThat(BuildPlan.teardown(List.of("a-nl1", "b-nl1")))
                .containsExactly("netns del a-nl1", "netns del b-nl1", "netns list");
        assertThat(BuildPlan.script(List.of("x", "y"))).isEqualTo("x\ny\n");
    }
}
