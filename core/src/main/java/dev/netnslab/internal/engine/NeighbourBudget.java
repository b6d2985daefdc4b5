package dev.netnslab.internal.engine;

import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.internal.topology.NeighbourEstimate;
import dev.netnslab.internal.topology.Topology;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps the labs this JVM runs at once within the kernel's neighbour (ARP) table. The table's
 * hard limit, {@code net.ipv4.neigh.default.gc_thresh3} (1024 by default), counts the entries of
 * every namespace of the machine together; past it, packets are silently dropped (docs/kernel-notes.md).
 * Each lab reserves its worst-case need when it starts and hands it back when it closes; a lab that
 * would take this JVM's running labs past the limit is reported before anything is created: a
 * warning by default, a refusal with {@code netnslab.neighbour.check}{@code =fail}, nothing with {@code off}.
 *
 * <p>A lab's need is counted at its worst ({@link NeighbourEstimate}): every addressed interface
 * learns every other one on its segment, so a veth pair needs 2 entries and a bridge with n
 * addressed interfaces n·(n-1).
 */
public final class NeighbourBudget {

    private static final System.Logger LOG = System.getLogger("dev.netnslab.neighbour");
    private static final ConcurrentMap<String, NeighbourBudget> BUDGETS = new ConcurrentHashMap<>();

    private final int limit;
    private int reserved;

    private NeighbourBudget(int limit) {
        this.limit = limit;
    }

    /** The budget of {@code kernel}, its limit read once per JVM. */
    public static NeighbourBudget of(Kernel kernel) {
        return BUDGETS.computeIfAbsent(
                kernel.name() + "|" + kernel.describe(), k -> new NeighbourBudget(kernel.neighbourLimit()));
    }

    /** The worst-case number of neighbour entries {@code topology} can create. */
    public static int need(Topology topology) {
        return (int) Math.min(Integer.MAX_VALUE, NeighbourEstimate.of(topology).entries());
    }

    /**
     * Reserves {@code topology}'s need for lab {@code labId}, reporting an overflow as {@code settings} say.
     *
     * @return the amount reserved, to hand back to {@link #release(int)}
     * @throws NetnsLabException with {@code netnslab.neighbour.check}{@code =fail}, when the lab would pass the limit
     */
    public synchronized int reserve(String labId, Topology topology, Settings settings) {
        String mode = settings.get(Setting.NEIGHBOUR_CHECK);
        NeighbourEstimate estimate = NeighbourEstimate.of(topology);
        int need = need(topology);
        if (reserved + need > limit && !mode.equals("off")) {
            String problem = "Lab " + labId + " may need up to " + need + " neighbour (ARP) entries if every interface"
                    + " talks to every other on its segment (the largest, " + estimate.largestSegmentOf() + ", has "
                    + estimate.largestSegment() + " addressed interfaces)"
                    + (reserved == 0 ? "" : ", and the labs this JVM already runs may use " + reserved)
                    + ", but the kernel's machine-wide limit net.ipv4.neigh.default.gc_thresh3 is " + limit
                    + "; past it, packets are silently dropped. "
                    + (reserved == 0
                            ? "Split the lab into smaller labs"
                            : "Close labs you no longer need, or run fewer large labs at once")
                    + ", or raise the limit for the run and restore it afterwards.";
            if (mode.equals("fail")) {
                throw new NetnsLabException(problem + " Nothing was created (" + Setting.NEIGHBOUR_CHECK + "=fail).");
            }
            LOG.log(
                    System.Logger.Level.WARNING,
                    "netns-lab: " + problem + " (" + Setting.NEIGHBOUR_CHECK
                            + "=fail refuses such labs, off silences this)");
        }
        reserved += need;
        return need;
    }

    public synchronized void release(int amount) {
        reserved -= amount;
    }

    public synchronized int reserved() {
        return reserved;
    }

    public int limit() {
        return limit;
    }
}
