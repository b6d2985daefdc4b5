package dev.netnslab.internal.diagnostics;

import java.util.List;

/**
 * Where {@link PathWalk} followed a packet: the path of the request and, when it arrived, the path
 * of the reply, each to its end or to the stop that drops it.
 *
 * @param forward the path of the request
 * @param back    the path of the reply, walked only when the request arrived; else {@code null}
 */
record PathTrace(Leg forward, Leg back) {

    /** One step of a path: from a namespace out of a device, into the next namespace on a device. */
    /**
     * One step of a path.
     *
     * @param tunnel how {@code outDevice} carries the packet to another kernel (a phrase), or {@code null}
     */
    record Hop(String from, String outDevice, String to, String inDevice, String tunnel) {

        Hop(String from, String outDevice, String to, String inDevice) {
            this(from, outDevice, to, inDevice, null);
        }
    }

    /**
     * One direction of a path.
     *
     * @param hops          the steps taken
     * @param end           where the packet was last seen: the destination when it arrived
     * @param sourceAddress the source address the packet carries, when known
     * @param problem       why it stops at {@code end}, or {@code null} when it arrived
     */
    record Leg(List<Hop> hops, String end, String sourceAddress, String problem) {

        Leg {
            hops = List.copyOf(hops);
        }

        static Leg arrived(List<Hop> hops, String end, String source) {
            return new Leg(hops, end, source, null);
        }

        static Leg broken(List<Hop> hops, String end, String source, String problem) {
            return new Leg(hops, end, source, problem);
        }

        boolean arrived() {
            return problem == null;
        }

        /** The stops as {@code web -> host (via veth2) -> db (via br0)}. */
        String route(String start) {
            StringBuilder out =
                    new StringBuilder(hops.isEmpty() ? start : hops.get(0).from());
            for (Hop hop : hops) {
                out.append(" -> ")
                        .append(hop.to())
                        .append(" (via ")
                        .append(hop.outDevice())
                        .append(hop.tunnel() == null ? "" : ", " + hop.tunnel())
                        .append(')');
            }
            return out.toString();
        }
    }

    /** The text for a failure message. */
    String text(String source) {
        StringBuilder out = new StringBuilder("Where the path breaks:\n  there: ").append(forward.route(source));
        if (!forward.arrived()) {
            return out.append(": ").append(forward.problem()).toString();
        }
        out.append(": arrives");
        if (back == null) {
            return out.append("\n  back: not walked (the source address is unknown)")
                    .toString();
        }
        out.append("\n  back:  ").append(back.route(forward.end()));
        if (!back.arrived()) {
            return out.append(": ")
                    .append(back.problem())
                    .append(" (the reply to ")
                    .append(source)
                    .append(')')
                    .toString();
        }
        return out.append(
                        ": arrives\n  both ways the routes, neighbours, links, forwarding, rp_filter and firewall counters "
                                + "look fine: look at the target itself (is anything listening, does it answer?) and at qdiscs")
                .toString();
    }
}
