package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PartitionShape: Jepsen's shapes as values, without a kernel")
class PartitionShapeTest {

    private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

    @Test
    @DisplayName("halves: the minority first, cut both ways from the rest")
    void halves() {
        PartitionShape shape = PartitionShape.halves(FIVE);
        assertThat(shape.name()).isEqualTo("halves [n1, n2] | [n3, n4, n5]");
        assertThat(shape.cutOff())
                .containsEntry("n1", Set.of("n3", "n4", "n5"))
                .containsEntry("n5", Set.of("n1", "n2"));
    }

    @Test
    @DisplayName("random halves are repeatable with a seeded Random and always split 2 | 3")
    void randomHalves() {
        PartitionShape one = PartitionShape.randomHalves(FIVE, new Random(3));
        assertThat(PartitionShape.randomHalves(FIVE, new Random(3))).isEqualTo(one);
        assertThat(one.cutOff().values()).extracting(Set::size).containsOnly(2, 3);
    }

    @Test
    @DisplayName("majorities ring: every node hears a majority, no two the same one, and the cuts are symmetric")
    void majoritiesRing() {
        for (int n = 4; n <= 8; n++) {
            List<String> nodes = FIVE.subList(0, Math.min(5, n));
            if (n > 5) {
                nodes = new java.util.ArrayList<>(FIVE);
                for (int i = 6; i <= n; i++) {
                    nodes.add("n" + i);
                }
            }
            Map<String, Set<String>> cut = PartitionShape.majoritiesRing(nodes).cutOff();
            Set<Set<String>> heard = new java.util.HashSet<>();
            for (String node : nodes) {
                Set<String> hears = new java.util.HashSet<>(nodes);
                hears.removeAll(cut.getOrDefault(node, Set.of()));
                assertThat(hears.size()).as("%s of %s", node, nodes).isGreaterThan(nodes.size() / 2);
                assertThat(hears.size()).isLessThan(nodes.size());
                heard.add(hears);
                cut.getOrDefault(node, Set.of())
                        .forEach(peer -> assertThat(cut.get(peer)).contains(node));
            }
            assertThat(heard).as("distinct majorities").hasSize(nodes.size());
        }
    }

    @Test
    @DisplayName("bridge: the middle node hears both halves, which do not hear each other")
    void bridge() {
        PartitionShape shape = PartitionShape.bridge(FIVE);
        assertThat(shape.name()).isEqualTo("bridge [n1, n2] | n3 | [n4, n5]");
        assertThat(shape.cutOff()).doesNotContainKey("n3").containsEntry("n1", Set.of("n4", "n5"));
    }

    @Test
    @DisplayName("too few or repeated names are refused, saying what is needed")
    void refused() {
        assertThatThrownBy(() -> PartitionShape.majoritiesRing(List.of("a", "b", "c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PartitionShape.majoritiesRing([a, b, c]) is refused: it needs at least 4 namespaces,"
                        + " and got 3. Pass more names.");
        assertThatThrownBy(() -> PartitionShape.bridge(List.of("a", "b", "a")))
                .hasMessageContaining("each namespace may appear once");
        assertThatThrownBy(() -> PartitionShape.halves(List.of("a"))).hasMessageContaining("at least 2");
    }
}
