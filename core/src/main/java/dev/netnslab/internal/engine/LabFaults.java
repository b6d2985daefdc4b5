package dev.netnslab.internal.engine;

import dev.netnslab.NetInterface;
import dev.netnslab.internal.iproute.BuildPlan;
import dev.netnslab.internal.iproute.Readiness;
import dev.netnslab.internal.topology.Names;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The faults a test switched on in a running lab: link handles and partitions. Kept for the failure
 * report and the diagram, and forgotten when the lab closes: every fault lives inside the lab's
 * namespaces, so deleting them undoes it.
 */
public final class LabFaults {

    private final LabEngine engine;
    private final Map<String, InterfaceFaults> links = new LinkedHashMap<>();
    private final List<PartitionCut> partitions = new CopyOnWriteArrayList<>();
    private final Map<String, ConnectionFaults> connections = new LinkedHashMap<>();
    private final AtomicInteger tables = new AtomicInteger();
    /** The interfaces taken down on purpose, as "ns/iface" (logical names); read without the lock. */
    private final Set<String> down = ConcurrentHashMap.newKeySet();

    private final Deque<String> undone = new ArrayDeque<>();
    private volatile String atFailure;

    /** How many undone faults the report recalls. */
    private static final int RECALLED = 10;

    LabFaults(LabEngine engine) {
        this.engine = engine;
    }

    /** The handle on {@code iface} in {@code ns}; one per interface, so its state is in one place. */
    public synchronized InterfaceFaults link(LabNamespace ns, String iface) {
        Names.checkInterface("iface", iface);
        String key = ns.systemName() + "/" + iface;
        InterfaceFaults link = links.get(key);
        if (link == null) {
            List<NetInterface> present = ns.interfaces();
            NetInterface found = present.stream()
                    .filter(i -> i.name().equals(iface))
                    .findFirst()
                    .orElse(null);
            if (found == null) {
                throw new IllegalArgumentException(
                        "lab.link(\"" + ns.name() + "\", \"" + iface + "\") is refused: namespace "
                                + ns.name() + " has no interface '" + iface + "'; it has "
                                + present.stream().map(NetInterface::name).toList() + ". Pass one of those.");
            }
            link = new InterfaceFaults(this, ns, iface, found.mtu());
            links.put(key, link);
        }
        return link;
    }

    /** Cuts {@code a} and {@code b} apart, both ways; see {@link PartitionCut}. */
    public PartitionCut partition(LabNamespace a, LabNamespace b) {
        return partition("partition(" + a.name() + ", " + b.name() + ")", List.of(a), List.of(b));
    }

    /**
     * Cuts every namespace of {@code side} from every one of {@code otherSide}, both ways; traffic
     * within a side is untouched.
     *
     * @param call how the user asked for it, for messages and notes
     * @throws IllegalArgumentException for an empty side or a namespace on both sides
     */
    public PartitionCut partition(String call, List<LabNamespace> side, List<LabNamespace> otherSide) {
        if (side.isEmpty() || otherSide.isEmpty()) {
            throw new IllegalArgumentException("lab." + call + " is refused: each side needs at least one namespace."
                    + " Pass names of lab " + engine.id() + ": " + PartitionCut.names(engine));
        }
        for (LabNamespace ns : side) {
            if (otherSide.stream().anyMatch(o -> o.systemName().equals(ns.systemName()))) {
                throw new IllegalArgumentException("lab." + call + " is refused: namespace " + ns.name()
                        + " is on both sides; a namespace cannot be cut from itself. Put it on one side only.");
            }
        }
        List<PartitionCut.Cut> cuts = new ArrayList<>();
        for (LabNamespace a : side) {
            for (LabNamespace b : otherSide) {
                cuts.add(new PartitionCut.Cut(a, b));
                cuts.add(new PartitionCut.Cut(b, a));
            }
        }
        return start(call, cuts);
    }

    /**
     * Cuts {@code ns} from every other namespace of the lab that has an address in one of its
     * families, both ways.
     */
    public PartitionCut isolate(LabNamespace ns) {
        String call = "isolate(" + ns.name() + ")";
        List<LabNamespace> others = engine.namespaces().values().stream()
                .filter(o -> !o.systemName().equals(ns.systemName()))
                .filter(o -> PartitionCut.sharesAFamily(ns, o))
                .toList();
        if (others.isEmpty()) {
            throw new IllegalArgumentException("lab." + call + " is refused: no other namespace of lab " + engine.id()
                    + " has an address in a family " + ns.name() + " has (link-local fe80:: addresses do not count),"
                    + " so there is nothing to cut it from. Give the namespaces addresses in the LabSpec.");
        }
        return partition(call, List.of(ns), others);
    }

    /** Drops the packets {@code from} sends to {@code to}; the other direction passes. */
    public PartitionCut partitionOneWay(LabNamespace from, LabNamespace to) {
        return start(
                "partitionOneWay(" + from.name() + ", " + to.name() + ")", List.of(new PartitionCut.Cut(from, to)));
    }

    /**
     * Makes the given one-way cuts as one partition.
     *
     * @param call how the user asked for it, for messages and notes
     */
    public PartitionCut partition(String call, List<PartitionCut.Cut> cuts) {
        return start(call, cuts);
    }

    private PartitionCut start(String call, List<PartitionCut.Cut> cuts) {
        PartitionCut partition = PartitionCut.cut(this, call, cuts);
        partitions.add(partition);
        return partition;
    }

    /**
     * The handle on the connections {@code from} opens to {@code to}; one per ordered pair, so its
     * state is in one place.
     *
     * @throws IllegalArgumentException when {@code from} and {@code to} are the same namespace
     */
    public synchronized ConnectionFaults connections(LabNamespace from, LabNamespace to) {
        if (from.systemName().equals(to.systemName())) {
            throw new IllegalArgumentException("lab.connections(\"" + from.name() + "\", \"" + to.name()
                    + "\") is refused: the two namespaces are the same, and a namespace's connections to itself"
                    + " never leave it. Pass two different namespaces of lab " + engine.id() + ": "
                    + PartitionCut.names(engine));
        }
        return connections.computeIfAbsent(
                from.systemName() + "->" + to.systemName(), k -> new ConnectionFaults(this, from, to));
    }

    /** The connection faults now active, by pair. */
    public synchronized List<ConnectionFaults> activeConnections() {
        return connections.values().stream().filter(ConnectionFaults::isActive).toList();
    }

    /**
     * The faults active on interface {@code iface} of the namespace called {@code ns} (logical
     * name), as {@link InterfaceFaults#describeFaults()} gives them; empty when none.
     */
    public synchronized String activeOn(String ns, String iface) {
        for (InterfaceFaults link : links.values()) {
            if (link.namespace().equals(ns) && link.iface().equals(iface)) {
                return link.describeFaults();
            }
        }
        return "";
    }

    /** The partitions now active, oldest first. */
    public List<PartitionCut> partitions() {
        return partitions.stream().filter(PartitionCut::isActive).toList();
    }

    /** Records that {@code iface} in {@code ns} (logical name) was taken down, or brought up again, on purpose. */
    void markDown(String ns, String iface, boolean isDown) {
        if (isDown) {
            down.add(ns + "/" + iface);
        } else {
            down.remove(ns + "/" + iface);
        }
    }

    /**
     * Waits until {@code iface} in {@code ns}, which just came up, carries packets, and so do the
     * other end of its veth and the bridges either end is a port of; interfaces taken down on
     * purpose are left out.
     */
    void awaitReady(String ns, String iface, String after) {
        Map<String, List<Readiness.Expected>> expected =
                Readiness.around(engine.topology(), ns, iface, Set.copyOf(down));
        Map<String, String> systemNames = new LinkedHashMap<>();
        engine.namespaces().forEach((name, namespace) -> systemNames.put(name, namespace.systemName()));
        expected.keySet().removeIf(name -> !systemNames.containsKey(name));
        new LabReadiness(engine, systemNames).await(expected, after);
        // Neighbours asked for while the link was down wait for their next probe, up to a second away;
        // forgetting them makes the next packet ask again at once.
        expected.forEach((name, interfaces) -> {
            List<String> lines = interfaces.stream()
                    .map(e -> "neigh flush dev " + e.iface() + " nud incomplete nud failed")
                    .toList();
            engine.runIp(List.of("-n", systemNames.get(name), "-batch", "-"), BuildPlan.script(lines));
        });
    }

    void healed(PartitionCut partition) {
        partitions.remove(partition);
        recordUndone(partition.call() + ": " + partition.since() + " until " + now());
    }

    /** Notes that a pair's connection faults were healed, for the report. */
    void connectionsHealed(String entry) {
        recordUndone(entry);
    }

    /** Notes that a link's faults were cleared, for the report. */
    void cleared(InterfaceFaults link, String faults) {
        if (!faults.isEmpty()) {
            recordUndone("lab.link(\"" + link.namespace() + "\", \"" + link.iface() + "\") " + faults + ": cleared at "
                    + now());
        }
    }

    private synchronized void recordUndone(String entry) {
        undone.addLast(entry);
        while (undone.size() > RECALLED) {
            undone.removeFirst();
        }
    }

    /**
     * A check of this lab failed just now: remembers the faults active at this moment, so that
     * the failure report shows them even when a try-with-resources heals them before it is written.
     */
    public void checkFailed() {
        Map<String, List<String>> active = notes();
        StringBuilder out = new StringBuilder();
        active.forEach((ns, list) -> list.forEach(note -> out.append("  ")
                .append(ns)
                .append(": ")
                .append(note.replaceFirst("^fault: ", ""))
                .append('\n')));
        atFailure = active.isEmpty() ? null : "faults active when the last failed check ran (" + now() + "):\n" + out;
    }

    /**
     * For the failure report: the faults active when the last check failed, and the faults undone
     * lately (healed partitions, cleared links, with their times); empty when there are none.
     */
    public synchronized String recalled() {
        StringBuilder out = new StringBuilder();
        if (atFailure != null) {
            out.append('\n').append(atFailure);
        }
        if (!undone.isEmpty()) {
            out.append("\nfaults undone before this report (the last ")
                    .append(RECALLED)
                    .append(" at most):\n");
            undone.forEach(entry -> out.append("  ").append(entry).append('\n'));
        }
        return out.toString();
    }

    private static LocalTime now() {
        return LocalTime.now().truncatedTo(ChronoUnit.MILLIS);
    }

    LabEngine engine() {
        return engine;
    }

    /** A table name no other fault of this lab uses: {@code netnslab_loss_3}. */
    String nextTable(String kind) {
        return "netnslab_" + kind + "_" + tables.incrementAndGet();
    }

    /** An interface name no other fault of this lab uses, at most 15 bytes: {@code nlifb3}. */
    String nextDevice() {
        return "nlifb" + tables.incrementAndGet();
    }

    /**
     * The active faults per logical namespace, each as a short note: {@code fault: veth2 down, loss 30%},
     * {@code fault: cut off from netns2}. Namespaces without faults are left out.
     */
    public synchronized Map<String, List<String>> notes() {
        Map<String, List<String>> notes = new LinkedHashMap<>();
        for (InterfaceFaults link : links.values()) {
            String active = link.describeFaults();
            if (!active.isEmpty()) {
                notes.computeIfAbsent(link.namespace(), k -> new ArrayList<>())
                        .add("fault: " + link.iface() + " " + active);
            }
        }
        for (ConnectionFaults pair : connections.values()) {
            if (pair.isActive()) {
                notes.computeIfAbsent(pair.from().name(), k -> new ArrayList<>())
                        .add("fault: " + pair.note());
            }
        }
        for (PartitionCut partition : partitions) {
            if (partition.isActive()) {
                partition
                        .notes()
                        .forEach((ns, note) -> notes.computeIfAbsent(ns, k -> new ArrayList<>())
                                .add("fault: " + note));
            }
        }
        return notes;
    }

    /** The lab is closing: its namespaces, and every fault inside them, are about to be deleted. */
    synchronized void forget() {
        links.values().forEach(InterfaceFaults::forget);
        partitions.forEach(PartitionCut::forget);
        connections.values().forEach(ConnectionFaults::forget);
        connections.clear();
        links.clear();
        partitions.clear();
    }
}
