package dev.netnslab.internal.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * What a user said to a {@code LabSpec} builder, call by call, as they said it: raw strings and
 * values, nothing parsed or checked yet. {@link #build()} decides what is checked when, and reports
 * every problem of the spec together, so that a builder call never throws for a bad value and a
 * spec is fixed in one round.
 */
public final class SpecDraft {

    private final List<DraftCall> calls = new ArrayList<>();
    private final List<Placement.Call> placements = new ArrayList<>();

    /** Records one call; it is read when the draft is {@linkplain #build() built}, in the order of the calls. */
    public void add(DraftCall call) {
        calls.add(call);
    }

    /** Records an {@code on(kernel, namespaces...)} call; it is checked when the draft is built. */
    public void place(Placement.Call call) {
        placements.add(call);
    }

    /** A built draft: the topology, and which kernel each namespace runs on. */
    public record Built(Topology topology, Placement placement) {}

    /** The topology the calls describe; see {@link #buildPlaced()}. */
    public Topology build() {
        return buildPlaced().topology();
    }

    /**
     * The topology the calls describe, once it breaks no rule. The checks run in three steps, and
     * every problem of every step is reported:
     * <ol>
     *   <li>each call on its own, in the order they were made: its endpoints ({@code ns:iface}),
     *       addresses, gateways and MACs are parsed, and the shorthands ({@code node},
     *       {@code container}, the single-namespace lab) expand into plain elements. A call whose
     *       value breaks a rule adds what it can still describe, so that the elements which refer
     *       to it are not reported as well;</li>
     *   <li>the elements derived from the whole: a container's default route via its bridge, which
     *       depends on calls made before or after it;</li>
     *   <li>the elements together ({@link TopologyValidator}): names, references, uniqueness,
     *       reachable gateways, devices and settings; and the placement of namespaces on kernels
     *       ({@link Placement#of}).</li>
     * </ol>
     *
     * @throws dev.netnslab.InvalidLabSpecException the one problem, or one that lists them all
     */
    public Built buildPlaced() {
        DraftParts parts = new DraftParts();
        calls.forEach(call -> call.addTo(parts));
        NodeShorthands.addGatewayRoutes(parts);
        Topology topology = parts.topology();
        TopologyValidator.check(topology, parts.problems);
        Placement placement = Placement.of(placements, topology, parts.problems);
        parts.problems.throwIfAny();
        return new Built(topology, placement);
    }

    /**
     * An interface as the user named it: written {@code ns:iface} in one string, as containerlab writes
     * its endpoints, or given as a namespace and an interface apart.
     *
     * @param text      the {@code ns:iface} text, when {@code written}
     * @param namespace the namespace, when given apart
     * @param iface     the interface, when given apart
     * @param written   whether the endpoint was written {@code ns:iface}, so that {@code text} is to be parsed
     */
    public record Endpoint(String text, String namespace, String iface, boolean written) {

        /** An endpoint written {@code ns:iface}; its syntax is checked when the draft is built. */
        public static Endpoint written(String text) {
            return new Endpoint(text, null, null, true);
        }

        /** An endpoint given as a namespace and an interface apart. */
        public static Endpoint of(String namespace, String iface) {
            return new Endpoint(null, namespace, iface, false);
        }
    }
}
