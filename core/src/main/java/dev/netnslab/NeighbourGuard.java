package dev.netnslab;

import dev.netnslab.exec.Command;
import dev.netnslab.topology.NeighbourEstimate;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Warns (or fails, with {@code netnslab.neighbour.check=fail}) before building a lab whose
 * worst-case neighbour entries exceed the machine-wide {@code gc_thresh3}. Past that limit the
 * kernel drops packets and logs "neighbor table overflow", which a test would only see as pings
 * that fail for no visible reason. The limit is read, never changed: it belongs to the machine.
 */
final class NeighbourGuard {

    static final String GC_THRESH3 = "/proc/sys/net/ipv4/neigh/default/gc_thresh3";
    /** Below this many entries no lab is worth a process: no sane machine sets gc_thresh3 lower (the default is 1024). */
    static final long FLOOR = 128;

    private static final Logger LOG = System.getLogger("dev.netnslab.neighbour");

    private NeighbourGuard() {
    }

    static void check(Lab lab) {
        String mode = lab.settings().get(Settings.NEIGHBOUR_CHECK, "warn").toLowerCase(Locale.ROOT);
        if (!List.of("warn", "fail", "off").contains(mode)) {
            throw new IllegalArgumentException(Settings.NEIGHBOUR_CHECK + " must be warn, fail or off but was '" + mode + "'");
        }
        NeighbourEstimate estimate = NeighbourEstimate.of(lab.spec().topology());
        if (mode.equals("off") || estimate.entries() < FLOOR) {
            return;
        }
        // gc_thresh3 exists in the root namespace only; reading it changes nothing.
        ExecResult read = lab.backend().runner().run(Command.of(Duration.ofSeconds(10), List.of("cat", GC_THRESH3)));
        long limit;
        try {
            limit = Long.parseLong(read.stdout().strip());
        } catch (NumberFormatException e) {
            LOG.log(Level.DEBUG, "netns-lab: could not read {0}: {1}", GC_THRESH3, read.describe());
            return;
        }
        String message = message(estimate, limit);
        if (message == null) {
            return;
        }
        if (mode.equals("fail")) {
            throw new NetnsLabException(message + " Nothing was created.");
        }
        LOG.log(Level.WARNING, message);
    }

    /** The warning for {@code estimate} against {@code limit}, or {@code null} when it fits. */
    static String message(NeighbourEstimate estimate, long limit) {
        if (estimate.entries() <= limit) {
            return null;
        }
        return "netns-lab: this lab could need up to " + estimate.entries() + " neighbour (ARP) entries if every"
                + " interface talks to every other on its segment (the largest, " + estimate.largestSegmentOf() + ", has "
                + estimate.largestSegment() + " addressed interfaces), but the machine-wide limit"
                + " net.ipv4.neigh.default.gc_thresh3 is " + limit + ", shared by all namespaces. Past it the kernel drops"
                + " packets ('neighbor table overflow' in dmesg). Keep traffic to a subset of hosts, split the segment, or"
                + " set " + Settings.NEIGHBOUR_CHECK + "=fail to refuse such labs (off to silence this).";
    }
}
