package dev.netnslab;

import dev.netnslab.internal.engine.PartitionCut;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A network partition in a running lab: packets between some of its namespaces are dropped until
 * it is healed. Traffic between namespaces it does not name is untouched. Get one with
 * {@link Lab#partition(String, String)} (two namespaces, both ways),
 * {@link Lab#partition(java.util.Collection, java.util.Collection)} (two groups),
 * {@link Lab#isolate(String)} (one namespace from all others), {@link Lab#partitionOneWay(String, String)}
 * (one direction only) or {@link Lab#partition(PartitionShape)} (Jepsen's shapes):
 *
 * <pre>{@code
 * try (Partition split = lab.partition("node1", "node2")) {
 *     assertThat(lab.namespace("node1")).cannotPing("10.0.0.2");
 * }                                                   // healed here
 * assertThat(lab.namespace("node1")).canPing("10.0.0.2");
 * }</pre>
 *
 * <p>How: each namespace that stops hearing another gets an nft table of its own that drops what
 * arrives from the addresses of the namespaces cut from it (read when the partition starts;
 * loopback and addresses both hold are left out). Packets vanish where they arrive, so a sender
 * sees silence, as across a real partition. The rules run before
 * connection tracking, so open connections are cut as well. Healing deletes those tables, nothing
 * else; the machine's own rules are never touched. Closing the lab heals every partition. While
 * active, a partition shows in the failure report and the lab's diagram, and a failed
 * reachability check names it. Needs {@code nft} ({@code apt-get install -y nftables}).
 */
public final class Partition implements AutoCloseable {

    private final PartitionCut cut;

    Partition(PartitionCut cut) {
        this.cut = cut;
    }

    /** The logical name of the first namespace the partition cuts: {@code a} for {@code partition(a, b)}. */
    public String first() {
        return cut.cuts().get(0).from().name();
    }

    /** The logical name of the namespace the first one is cut from: {@code b} for {@code partition(a, b)}. */
    public String second() {
        return cut.cuts().get(0).to().name();
    }

    /**
     * For each namespace the partition cuts, the namespaces its packets no longer reach:
     * {@code {a=[b], b=[a]}} for {@code partition(a, b)}, {@code {a=[b]}} for
     * {@code partitionOneWay(a, b)}.
     */
    public Map<String, Set<String>> cuts() {
        Map<String, Set<String>> cuts = new LinkedHashMap<>();
        cut.cuts()
                .forEach(c -> cuts.computeIfAbsent(c.from().name(), k -> new LinkedHashSet<>())
                        .add(c.to().name()));
        cuts.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        return Collections.unmodifiableMap(cuts);
    }

    /** Whether the partition still cuts. */
    public boolean isActive() {
        return cut.isActive();
    }

    /**
     * Lets traffic pass again by deleting the partition's rules in every namespace it touched.
     * Idempotent.
     *
     * @throws NetnsLabException when the rules could not be removed from one of them; the others are healed all the same
     */
    public void heal() {
        cut.heal();
    }

    /** The same as {@link #heal()}, so that try-with-resources heals. */
    @Override
    public void close() {
        heal();
    }

    /** How it was made, e.g. {@code partition(a, b)}, {@code isolate(a)}, with {@code (healed)} once healed. */
    @Override
    public String toString() {
        return cut.toString();
    }
}
