package dev.netnslab.internal.diagnostics;

import dev.netnslab.internal.engine.LabNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Says where a packet from a namespace to a target stops, for the message of a failed
 * reachability check: the stops there and back, and the first thing that breaks the path.
 *
 * <pre>{@code
 * Where the path breaks:
 *   there: c1 -> node1 (via eth0) -> node2 (via eth0) -> c2 (via br0): arrives
 *   back:  c2 -> node2 (via eth0): node2 has no route to 172.16.0.2 (the reply to c1)
 * }</pre>
 *
 * It reads state only, within {@code budget}; to find firewall rules that swallow packets it sends
 * one more probe between two readings of their counters, and only when the target is an address of
 * the lab itself.
 */
public final class PathDiagnosis {

    private PathDiagnosis() {}

    /**
     * Walks the path from {@code source} to {@code target} and describes it.
     *
     * @param probe sends the failed check's traffic once more (one echo, one connection attempt), or {@code null}
     */
    public static String explain(LabNamespace source, String target, Runnable probe, Duration budget) {
        try {
            LabPathView view = new LabPathView(source.lab(), budget);
            PathTrace first = new PathWalk(view).diagnose(source.name(), target);
            if (probe == null || !view.inLab(target)) {
                return first.text(source.name());
            }
            view.probe(stops(first), probe);
            return new PathWalk(view).diagnose(source.name(), target).text(source.name());
        } catch (RuntimeException e) {
            return "Where the path breaks: could not be worked out (" + e + ")";
        }
    }

    private static List<String> stops(PathTrace diagnosis) {
        Set<String> stops = new LinkedHashSet<>();
        for (PathTrace.Leg leg : new PathTrace.Leg[] {diagnosis.forward(), diagnosis.back()}) {
            if (leg == null) {
                continue;
            }
            for (PathTrace.Hop hop : leg.hops()) {
                stops.add(hop.from());
                stops.add(hop.to());
            }
            stops.add(leg.end());
        }
        return new ArrayList<>(stops);
    }
}
