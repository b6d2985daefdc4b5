package dev.netnslab.internal.diagram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.LabSpec;
import dev.netnslab.internal.engine.ApiBridge;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A running lab's faults are notes in its namespaces' boxes")
class FaultNotesTest {

    @Test
    @DisplayName("extra notes land in their namespace's box, after the spec's own, and nowhere else")
    void extraNotes() {
        var topology = ApiBridge.topology(LabSpec.singleNamespace("netns1", "10.200.1.1", null));
        String plain = MermaidRenderer.render(Graph.of(topology));
        String faulty = MermaidRenderer.render(Graph.of(topology, Map.of("netns1", List.of("fault: veth2 down"))));
        assertThat(plain).doesNotContain("fault:");
        assertThat(faulty).contains("fault: veth2 down");
        assertThat(faulty.lines().filter(l -> l.contains("fault:")).count()).isEqualTo(1);
        assertThat(MermaidRenderer.render(Graph.of(topology, Map.of()))).isEqualTo(plain);
    }
}
