package dev.netnslab.internal.engine;

import dev.netnslab.ExecResult;
import dev.netnslab.InterfaceAddress;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.fault.FaultRules;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A partition of a running lab: a set of one-way cuts, each dropping every packet one namespace
 * sends to another. A two-way partition between {@code a} and {@code b} is the cuts a to b and b to
 * a; a one-way one is a single cut. Each namespace that stops hearing another gets one nft table of
 * its own that drops what arrives from the addresses of the namespaces cut from it (read when the
 * partition starts; loopback and addresses both hold are left out), so senders see silence. The rules run
 * before connection tracking, so open connections are cut as well. Healing deletes the tables,
 * nothing else. {@code dev.netnslab.Partition} is the user's handle on one.
 */
public final class PartitionCut {

    /** Packets from {@code from} to {@code to} are dropped. */
    public record Cut(LabNamespace from, LabNamespace to) {}

    private final LabFaults faults;
    private final String call;
    private final List<Cut> cuts;
    private final List<LabNamespace> touched = new ArrayList<>();
    private final String table;
    private final LocalTime since = LocalTime.now().truncatedTo(ChronoUnit.MILLIS);
    private boolean active;

    private PartitionCut(LabFaults faults, String call, List<Cut> cuts, String table) {
        this.faults = faults;
        this.call = call;
        this.cuts = List.copyOf(cuts);
        this.table = table;
    }

    /**
     * Makes {@code cuts} in one go, or none of them.
     *
     * @param call how the user asked for it, for messages and notes: {@code partition(a, b)}
     * @throws IllegalArgumentException when a cut joins a namespace to itself, or one of its two
     *         namespaces has no address the other could reach (then there is nothing to cut)
     */
    static PartitionCut cut(LabFaults faults, String call, List<Cut> cuts) {
        if (cuts.isEmpty()) {
            throw new IllegalArgumentException("lab." + call + " is refused: it cuts nothing. Name namespaces of lab "
                    + faults.engine().id() + ": " + names(faults.engine()));
        }
        Map<LabNamespace, Set<String>> addresses = new LinkedHashMap<>();
        for (Cut c : cuts) {
            if (c.from().systemName().equals(c.to().systemName())) {
                throw new IllegalArgumentException(
                        "lab." + call + " is refused: namespace " + c.from().name()
                                + " would be cut from itself; a partition is between different namespaces. Pass names of lab "
                                + faults.engine().id() + ": " + names(faults.engine()));
            }
            addresses.computeIfAbsent(c.from(), PartitionCut::addresses);
            addresses.computeIfAbsent(c.to(), PartitionCut::addresses);
        }
        for (Cut c : cuts) {
            refuseIfNothingToCut(call, c.from(), addresses.get(c.from()), c.to(), addresses.get(c.to()));
        }
        Map<LabNamespace, Set<String>> inputs = new LinkedHashMap<>();
        for (Cut c : cuts) {
            Set<String> ofFrom = new LinkedHashSet<>(addresses.get(c.from()));
            Set<String> ofTo = new LinkedHashSet<>(addresses.get(c.to()));
            // An address both hold is each one's own: dropping it would cut a namespace off from itself.
            Set<String> shared = new LinkedHashSet<>(ofFrom);
            shared.retainAll(ofTo);
            ofFrom.removeAll(shared);
            ofTo.removeAll(shared);
            inputs.computeIfAbsent(c.to(), k -> new LinkedHashSet<>()).addAll(ofFrom);
        }
        PartitionCut partition = new PartitionCut(faults, call, cuts, faults.nextTable("partition"));
        try {
            for (Map.Entry<LabNamespace, Set<String>> side : inputs.entrySet()) {
                if (side.getValue().isEmpty()) {
                    continue;
                }
                partition.run(side.getKey(), FaultRules.partitionTable(partition.table, side.getValue()), "cut it off");
                partition.touched.add(side.getKey());
            }
        } catch (RuntimeException e) {
            for (LabNamespace side : partition.touched) {
                try {
                    partition.unload(side);
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
            }
            throw e;
        }
        partition.active = true;
        return partition;
    }

    private static void refuseIfNothingToCut(
            String call, LabNamespace from, Set<String> ofFrom, LabNamespace to, Set<String> ofTo) {
        Set<String> fromFamilies = families(ofFrom);
        Set<String> toFamilies = families(ofTo);
        for (LabNamespace bare : List.of(from, to)) {
            if (families(bare == from ? ofFrom : ofTo).isEmpty()) {
                throw new IllegalArgumentException("lab." + call + " is refused: namespace " + bare.name()
                        + " has no address of its own (loopback and link-local fe80:: addresses do not count),"
                        + " so there is no traffic between " + from.name() + " and " + to.name()
                        + " to cut. Give it an address in the LabSpec, or leave it out of the partition.");
            }
        }
        Set<String> common = new LinkedHashSet<>(fromFamilies);
        common.retainAll(toFamilies);
        if (common.isEmpty()) {
            throw new IllegalArgumentException("lab." + call + " is refused: namespace " + from.name() + " has only "
                    + String.join(" and ", fromFamilies) + " addresses and " + to.name() + " only "
                    + String.join(" and ", toFamilies) + ", so there is no traffic between them to cut."
                    + " Give one of them an address in the other's family in the LabSpec.");
        }
    }

    /** Whether {@code a} and {@code b} both have addresses (not link-local) in one family. */
    static boolean sharesAFamily(LabNamespace a, LabNamespace b) {
        Set<String> common = families(addresses(a));
        common.retainAll(families(addresses(b)));
        return !common.isEmpty();
    }

    /**
     * What it does to each namespace it touches, by logical name: {@code cut off from b, c
     * (partition([a], [b, c]))}, {@code its packets to b are dropped (partitionOneWay(a, b))}.
     */
    public Map<String, String> notes() {
        Map<String, String> notes = new LinkedHashMap<>();
        Set<LabNamespace> namespaces = new LinkedHashSet<>();
        cuts.forEach(c -> {
            namespaces.add(c.from());
            namespaces.add(c.to());
        });
        for (LabNamespace ns : namespaces) {
            Set<String> sendsTo = new LinkedHashSet<>();
            Set<String> hearsFrom = new LinkedHashSet<>();
            for (Cut c : cuts) {
                if (c.from() == ns) {
                    sendsTo.add(c.to().name());
                }
                if (c.to() == ns) {
                    hearsFrom.add(c.from().name());
                }
            }
            Set<String> both = new LinkedHashSet<>(sendsTo);
            both.retainAll(hearsFrom);
            sendsTo.removeAll(both);
            hearsFrom.removeAll(both);
            List<String> parts = new ArrayList<>();
            if (!both.isEmpty()) {
                parts.add("cut off from " + String.join(", ", both));
            }
            if (!sendsTo.isEmpty()) {
                parts.add("its packets to " + String.join(", ", sendsTo) + " are dropped");
            }
            if (!hearsFrom.isEmpty()) {
                parts.add("hears nothing from " + String.join(", ", hearsFrom));
            }
            notes.put(ns.name(), String.join("; ", parts) + " (" + call + ")");
        }
        return notes;
    }

    /** {@code IPv4}, {@code IPv6}: the families of the addresses that are not link-local. */
    private static Set<String> families(Collection<String> addresses) {
        Set<String> families = new LinkedHashSet<>();
        for (String ip : addresses) {
            if (!ip.contains(":")) {
                families.add("IPv4");
            } else if (!ip.toLowerCase(Locale.ROOT).startsWith("fe80:")) {
                families.add("IPv6");
            }
        }
        return families;
    }

    /** The call that made it: {@code partition(a, b)}, {@code isolate(a)}, {@code partitionOneWay(a, b)}. */
    public String call() {
        return call;
    }

    /** When it started, in this JVM's local time. */
    public LocalTime since() {
        return since;
    }

    /** The one-way cuts it is made of. */
    public List<Cut> cuts() {
        return cuts;
    }

    /** Whether it cuts the packets {@code from} sends to {@code to} (by system names). */
    public synchronized boolean cuts(String fromSystemName, String toSystemName) {
        return active
                && cuts.stream()
                        .anyMatch(c -> c.from().systemName().equals(fromSystemName)
                                && c.to().systemName().equals(toSystemName));
    }

    /** Whether it cuts the packets {@code from} sends to {@code to} (by logical names). */
    public synchronized boolean cutsNamed(String from, String to) {
        return active
                && cuts.stream()
                        .anyMatch(c ->
                                c.from().name().equals(from) && c.to().name().equals(to));
    }

    /** {@code partition(a, b), active since 19:50:01.123}. */
    public String describe() {
        return call + ", active since " + since;
    }

    /** Whether the partition still cuts. */
    public synchronized boolean isActive() {
        return active;
    }

    /**
     * Lets traffic pass again by deleting the partition's rules in every namespace it touched.
     * Idempotent.
     *
     * @throws NetnsLabException when the rules could not be removed from one of them; the others are healed all the same
     */
    public synchronized void heal() {
        if (!active) {
            return;
        }
        active = false;
        faults.healed(this);
        List<RuntimeException> problems = new ArrayList<>();
        for (LabNamespace side : touched) {
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

    /** The lab is closing and deletes the namespaces, which removes the rules. */
    synchronized void forget() {
        active = false;
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
    static Set<String> addresses(LabNamespace ns) {
        Set<String> found = new LinkedHashSet<>();
        for (InterfaceAddress address : ns.addresses()) {
            String ip = address.address();
            if (!address.iface().equals("lo") && !ip.startsWith("127.") && !ip.equals("::1")) {
                found.add(ip);
            }
        }
        return found;
    }

    static List<String> names(LabEngine lab) {
        return List.copyOf(lab.namespaces().keySet());
    }

    @Override
    public synchronized String toString() {
        return call + (active ? "" : " (healed)");
    }
}
