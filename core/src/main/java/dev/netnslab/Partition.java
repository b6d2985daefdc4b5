package dev.netnslab;

import dev.netnslab.internal.engine.PartitionCut;

/**
 * A network partition between two namespaces of a running lab: no packet passes between them,
 * either way, until it is healed. Traffic of each with every other namespace is untouched. Get one
 * with {@link Lab#partition(String, String)}:
 *
 * <pre>{@code
 * try (Partition split = lab.partition("node1", "node2")) {
 *     assertThat(lab.namespace("node1")).cannotPing("10.0.0.2");
 * }                                                   // healed here
 * assertThat(lab.namespace("node1")).canPing("10.0.0.2");
 * }</pre>
 *
 * <p>How: each of the two namespaces gets an nft table of its own that drops what it sends to, and
 * receives from, the other's addresses (read when the partition starts; loopback and addresses both
 * hold are left out). The rules run before connection tracking, so open connections are cut as
 * well. Healing deletes the two tables, nothing else; the machine's own rules are never touched.
 * Closing the lab heals every partition. Needs {@code nft} ({@code apt-get install -y nftables}).
 */
public final class Partition implements AutoCloseable {

    private final PartitionCut cut;

    Partition(PartitionCut cut) {
        this.cut = cut;
    }

    /** The logical name of the first namespace. */
    public String first() {
        return cut.first();
    }

    /** The logical name of the second namespace. */
    public String second() {
        return cut.second();
    }

    /** Whether the partition still cuts the two apart. */
    public boolean isActive() {
        return cut.isActive();
    }

    /**
     * Lets traffic between the two namespaces pass again by deleting the partition's rules in both.
     * Idempotent.
     *
     * @throws NetnsLabException when the rules could not be removed from one of them; the other is healed all the same
     */
    public void heal() {
        cut.heal();
    }

    /** The same as {@link #heal()}, so that try-with-resources heals. */
    @Override
    public void close() {
        heal();
    }

    @Override
    public String toString() {
        return cut.toString();
    }
}
