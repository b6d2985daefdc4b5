package dev.netnslab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Who stops hearing whom, over a list of namespaces: the partition shapes Jepsen's nemeses use on
 * clusters. A shape is a plain value; {@link Lab#partition(PartitionShape)} makes it real.
 *
 * <pre>{@code
 * List<String> nodes = List.of("n1", "n2", "n3", "n4", "n5");
 * try (Partition split = lab.partition(PartitionShape.randomHalves(nodes, new Random(42)))) {
 *     // two groups, 2 and 3 nodes: the minority must step down, the majority may elect
 * }
 * try (Partition ring = lab.partition(PartitionShape.majoritiesRing(nodes))) {
 *     // every node sees a majority, no two nodes the same one
 * }
 * }</pre>
 *
 * <p>Every cut is both ways: a one-way drop is {@link Lab#partitionOneWay(String, String)}.
 */
public final class PartitionShape {

    private final String name;
    private final Map<String, Set<String>> cutOff;

    private PartitionShape(String name, Map<String, Set<String>> cutOff) {
        this.name = name;
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        cutOff.forEach((node, peers) -> {
            if (!peers.isEmpty()) {
                copy.put(node, Collections.unmodifiableSet(new LinkedHashSet<>(peers)));
            }
        });
        this.cutOff = Collections.unmodifiableMap(copy);
    }

    /**
     * Two groups cut from each other: the nodes shuffled with {@code random}, then the first
     * {@code nodes.size() / 2} (the minority, for an odd count) against the rest.
     *
     * @param nodes  at least two distinct namespace names
     * @param random the shuffle; pass {@code new Random(seed)} for a repeatable test
     * @throws IllegalArgumentException for fewer than two nodes or a repeated name
     */
    public static PartitionShape randomHalves(List<String> nodes, Random random) {
        Objects.requireNonNull(random, "random");
        List<String> shuffled = new ArrayList<>(checked("randomHalves", nodes, 2));
        Collections.shuffle(shuffled, random);
        return halves(shuffled);
    }

    /**
     * Two groups cut from each other, in the order given: the first {@code nodes.size() / 2}
     * (the minority, for an odd count) against the rest.
     *
     * @param nodes at least two distinct namespace names
     * @throws IllegalArgumentException for fewer than two nodes or a repeated name
     */
    public static PartitionShape halves(List<String> nodes) {
        List<String> all = checked("halves", nodes, 2);
        List<String> one = all.subList(0, all.size() / 2);
        List<String> other = all.subList(all.size() / 2, all.size());
        return new PartitionShape("halves " + one + " | " + other, between(one, other));
    }

    /**
     * Jepsen's majorities ring: the nodes sit on a ring in the order given, and each hears only
     * the nodes nearest to it, just enough for a majority (itself included). Every node sees a
     * majority, and no two nodes see the same one, so a protocol that trusts any majority can
     * elect two leaders.
     *
     * @param nodes at least four distinct namespace names (with three, a majority is everyone but one,
     *              and nothing would be cut)
     * @throws IllegalArgumentException for fewer than four nodes or a repeated name
     */
    public static PartitionShape majoritiesRing(List<String> nodes) {
        List<String> all = checked("majoritiesRing", nodes, 4);
        int n = all.size();
        // Hearing the nodes within ring distance reach makes 2 * reach + 1 with itself: a majority.
        int reach = (n / 2 + 1) / 2;
        Map<String, Set<String>> cut = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int distance = Math.min(Math.floorMod(j - i, n), Math.floorMod(i - j, n));
                if (distance > reach) {
                    cut.computeIfAbsent(all.get(i), k -> new LinkedHashSet<>()).add(all.get(j));
                }
            }
        }
        return new PartitionShape("majorities ring " + all, cut);
    }

    /**
     * Jepsen's bridge: the nodes in the order given are split into two halves around the middle
     * one; the halves cannot hear each other, and the middle node hears both.
     *
     * @param nodes at least three distinct namespace names
     * @throws IllegalArgumentException for fewer than three nodes or a repeated name
     */
    public static PartitionShape bridge(List<String> nodes) {
        List<String> all = checked("bridge", nodes, 3);
        int middle = all.size() / 2;
        List<String> one = all.subList(0, middle);
        List<String> other = all.subList(middle + 1, all.size());
        return new PartitionShape("bridge " + one + " | " + all.get(middle) + " | " + other, between(one, other));
    }

    /** What the shape is: {@code halves [n1, n2] | [n3, n4, n5]}. */
    public String name() {
        return name;
    }

    /**
     * For each node the shape cuts, the nodes it can no longer exchange packets with, either way.
     * Symmetric: when a is cut off from b, b is cut off from a.
     */
    public Map<String, Set<String>> cutOff() {
        return cutOff;
    }

    private static Map<String, Set<String>> between(List<String> one, List<String> other) {
        Map<String, Set<String>> cut = new LinkedHashMap<>();
        one.forEach(a -> cut.put(a, new LinkedHashSet<>(other)));
        other.forEach(b -> cut.put(b, new LinkedHashSet<>(one)));
        return cut;
    }

    private static List<String> checked(String method, List<String> nodes, int least) {
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.stream().anyMatch(Objects::isNull) || new LinkedHashSet<>(nodes).size() != nodes.size()) {
            throw new IllegalArgumentException("PartitionShape." + method + "(" + nodes
                    + ") is refused: each namespace may appear once. Pass distinct names.");
        }
        if (nodes.size() < least) {
            throw new IllegalArgumentException("PartitionShape." + method + "(" + nodes + ") is refused: it needs at"
                    + " least " + least + " namespaces, and got " + nodes.size() + ". Pass more names.");
        }
        return List.copyOf(nodes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionShape other && name.equals(other.name) && cutOff.equals(other.cutOff);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, cutOff);
    }

    @Override
    public String toString() {
        return name;
    }
}
