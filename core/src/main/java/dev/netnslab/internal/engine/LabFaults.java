package dev.netnslab.internal.engine;

import dev.netnslab.NetInterface;
import dev.netnslab.internal.iproute.BuildPlan;
import dev.netnslab.internal.iproute.Readiness;
import dev.netnslab.internal.topology.Names;
import java.util.ArrayList;
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
    private final AtomicInteger tables = new AtomicInteger();
    /** The interfaces taken down on purpose, as "ns/iface" (logical names); read without the lock. */
    private final Set<String> down = ConcurrentHashMap.newKeySet();

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

    /** Cuts {@code a} and {@code b} apart; see {@link PartitionCut}. */
    public PartitionCut partition(LabNamespace a, LabNamespace b) {
        PartitionCut partition = PartitionCut.cut(this, a, b);
        partitions.add(partition);
        return partition;
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
    }

    LabEngine engine() {
        return engine;
    }

    /** A table name no other fault of this lab uses: {@code netnslab_loss_3}. */
    String nextTable(String kind) {
        return "netnslab_" + kind + "_" + tables.incrementAndGet();
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
        for (PartitionCut partition : partitions) {
            if (partition.isActive()) {
                notes.computeIfAbsent(partition.first(), k -> new ArrayList<>())
                        .add("fault: cut off from " + partition.second());
                notes.computeIfAbsent(partition.second(), k -> new ArrayList<>())
                        .add("fault: cut off from " + partition.first());
            }
        }
        return notes;
    }

    /** The lab is closing: its namespaces, and every fault inside them, are about to be deleted. */
    synchronized void forget() {
        links.values().forEach(InterfaceFaults::forget);
        partitions.forEach(PartitionCut::forget);
        links.clear();
        partitions.clear();
    }
}
