package dev.netnslab.internal.engine;

import dev.netnslab.ExecResult;
import dev.netnslab.InterfaceAddress;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.fault.FaultRules;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A partition between two namespaces of a running lab: each gets an nft table of its own that drops
 * what it sends to, and receives from, the other's addresses (read when the partition starts;
 * loopback and addresses both hold are left out). The rules run before connection tracking, so open
 * connections are cut as well. Healing deletes the two tables, nothing else. {@code dev.netnslab.Partition}
 * is the user's handle on one.
 */
public final class PartitionCut {

    private final LabFaults faults;
    private final LabNamespace a;
    private final LabNamespace b;
    private final String table;
    private boolean active;

    private PartitionCut(LabFaults faults, LabNamespace a, LabNamespace b, String table) {
        this.faults = faults;
        this.a = a;
        this.b = b;
        this.table = table;
    }

    static PartitionCut cut(LabFaults faults, LabNamespace a, LabNamespace b) {
        if (a.systemName().equals(b.systemName())) {
            throw new IllegalArgumentException("lab.partition(\"" + a.name() + "\", \"" + b.name()
                    + "\") is refused: a partition" + " is between two different namespaces. Pass two names of lab "
                    + a.lab().id() + ": " + names(a.lab()));
        }
        Set<String> ofA = addresses(a);
        Set<String> ofB = addresses(b);
        // An address both hold is each one's own: dropping it would cut a namespace off from itself.
        Set<String> shared = new LinkedHashSet<>(ofA);
        shared.retainAll(ofB);
        ofA.removeAll(shared);
        ofB.removeAll(shared);
        if (ofA.isEmpty() || ofB.isEmpty()) {
            LabNamespace bare = ofA.isEmpty() ? a : b;
            throw new IllegalArgumentException(
                    "lab.partition(\"" + a.name() + "\", \"" + b.name() + "\") is refused: namespace "
                            + bare.name() + " has no address of its own, so there is no traffic between the two to cut."
                            + " Give it an address in the LabSpec.");
        }
        PartitionCut partition = new PartitionCut(faults, a, b, faults.nextTable("partition"));
        partition.load(a, ofB);
        try {
            partition.load(b, ofA);
        } catch (RuntimeException e) {
            try {
                partition.unload(a);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        partition.active = true;
        return partition;
    }

    /** The logical name of the first namespace. */
    public String first() {
        return a.name();
    }

    /** The logical name of the second namespace. */
    public String second() {
        return b.name();
    }

    /** Whether the partition still cuts the two apart. */
    public synchronized boolean isActive() {
        return active;
    }

    /**
     * Lets traffic between the two namespaces pass again by deleting the partition's rules in both.
     * Idempotent.
     *
     * @throws NetnsLabException when the rules could not be removed from one of them; the other is healed all the same
     */
    public synchronized void heal() {
        if (!active) {
            return;
        }
        active = false;
        faults.healed(this);
        List<RuntimeException> problems = new ArrayList<>();
        for (LabNamespace side : List.of(a, b)) {
            try {
                unload(side);
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        if (!problems.isEmpty()) {
            NetnsLabException failure = new NetnsLabException(
                    "Could not fully heal " + this + ": " + problems.get(0).getMessage());
            problems.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** The lab is closing and deletes both namespaces, which removes the rules. */
    synchronized void forget() {
        active = false;
    }

    private void load(LabNamespace side, Set<String> other) {
        run(side, FaultRules.partitionTable(table, other), "cut it off");
    }

    private void unload(LabNamespace side) {
        run(side, FaultRules.deleteTable(table), "remove the partition's rules");
    }

    private void run(LabNamespace side, String script, String what) {
        LabEngine engine = faults.engine();
        ExecResult result = side.exec(List.of("nft", "-f", "-"), script, engine.commandTimeout());
        if (!result.isSuccess()) {
            boolean missing = result.stderr().contains("No such file or directory");
            throw new NetnsLabException("Could not " + what + " in namespace " + side.name() + " for " + this
                    + (missing ? " (nft must be installed: apt-get install -y nftables)" : "") + "\n"
                    + result.describe());
        }
    }

    /** The namespace's addresses, IPv4 and IPv6, without loopback. */
    private static Set<String> addresses(LabNamespace ns) {
        Set<String> found = new LinkedHashSet<>();
        for (InterfaceAddress address : ns.addresses()) {
            String ip = address.address();
            if (!address.iface().equals("lo") && !ip.startsWith("127.") && !ip.equals("::1")) {
                found.add(ip);
            }
        }
        return found;
    }

    private static List<String> names(LabEngine lab) {
        return List.copyOf(lab.namespaces().keySet());
    }

    @Override
    public synchronized String toString() {
        return "partition " + a.name() + " | " + b.name() + (active ? "" : " (healed)");
    }
}
