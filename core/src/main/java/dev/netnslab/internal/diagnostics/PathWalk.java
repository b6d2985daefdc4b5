package dev.netnslab.internal.diagnostics;

import dev.netnslab.InterfaceAddress;
import dev.netnslab.Neighbour;
import dev.netnslab.internal.diagnostics.PathTrace.Hop;
import dev.netnslab.internal.diagnostics.PathTrace.Leg;
import dev.netnslab.internal.iproute.IpLiteral;
import dev.netnslab.internal.iproute.LinkDetail;
import dev.netnslab.internal.iproute.RouteLookup;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Follows a packet through a lab the way the kernels would, stop by stop, and names the first
 * place where it stops: a missing route, a neighbour that never resolved, a link that is down,
 * forwarding off, rp_filter, or a firewall rule that counted the probe.
 *
 * <p>At each stop, {@code ip route get} (an input lookup, with {@code from} and {@code iif}, past
 * the first stop) gives the next hop; the namespace that holds the next hop's address, or owns the
 * MAC it resolved to, or holds the other end of the veth, is the next stop. The walk ends where
 * the lookup says {@code local}. Pure: every fact comes from the {@link PathView}.
 */
final class PathWalk {

    /** More stops than any lab path has; past it the routes go round in a circle the walk did not spot. */
    static final int MAX_STOPS = 16;

    private final PathView view;

    PathWalk(PathView view) {
        this.view = view;
    }

    /**
     * The diagnosis of a packet from {@code source} to {@code target} that got no answer: the
     * forward path, and when that arrives, the return path of the reply.
     */
    PathTrace diagnose(String source, String target) {
        String to = IpLiteral.canonical(target);
        Leg forward = namingFaults(source, walk(source, to, null));
        if (!forward.arrived() || forward.sourceAddress() == null) {
            return new PathTrace(forward, null);
        }
        return new PathTrace(forward, namingFaults(forward.end(), walk(forward.end(), forward.sourceAddress(), to)));
    }

    /**
     * The leg, with the library's own faults on it named: a leg that arrives by its routes but is
     * cut by a partition is broken there; a broken one says which fault of the test stands on it.
     */
    private Leg namingFaults(String start, Leg leg) {
        List<String> devices = new ArrayList<>();
        for (Hop hop : leg.hops()) {
            devices.add(hop.from() + ":" + hop.outDevice());
            if (hop.inDevice() != null) {
                devices.add(hop.to() + ":" + hop.inDevice());
            }
        }
        if (!leg.arrived()) {
            // Where it stopped, a device the walk did not cross may be the one the test broke.
            view.links(leg.end()).forEach(link -> devices.add(leg.end() + ":" + link.name()));
        }
        List<String> faults = view.faults(start, leg.end(), devices);
        if (faults.isEmpty()) {
            return leg;
        }
        String named = String.join("; ", faults);
        return Leg.broken(
                leg.hops(),
                leg.end(),
                leg.sourceAddress(),
                leg.arrived() ? named : leg.problem() + " (the test's own fault: " + named + ")");
    }

    /** One direction: from {@code start} towards {@code target}, the packet carrying source {@code from} (or the kernel's choice). */
    Leg walk(String start, String target, String from) {
        List<Hop> hops = new ArrayList<>();
        Set<String> visited = new LinkedHashSet<>();
        String current = start;
        String inputDevice = null;
        String source = from;
        for (int stop = 0; stop < MAX_STOPS; stop++) {
            visited.add(current);
            List<String> drops = view.firewallDrops(current);
            if (!drops.isEmpty()) {
                return Leg.broken(
                        hops, current, source, current + "'s firewall dropped it: " + String.join("; ", drops));
            }
            PathView.Lookup lookup = view.routeGet(current, target, source, inputDevice);
            if (lookup.error() != null) {
                return Leg.broken(hops, current, source, explain(current, target, source, inputDevice, lookup.error()));
            }
            RouteLookup route = lookup.route();
            if (route.isLocal()) {
                return Leg.arrived(hops, current, source);
            }
            if (inputDevice != null) {
                String off = forwardingOff(current, target, inputDevice);
                if (off != null) {
                    return Leg.broken(hops, current, source, off);
                }
            }
            if (source == null) {
                source = route.source();
            }
            String device = route.device();
            LinkDetail out = link(current, device);
            String down = linkDown(current, out);
            if (down != null) {
                return Leg.broken(hops, current, source, down);
            }
            String blocked = blockedPort(current, out);
            if (blocked != null) {
                return Leg.broken(hops, current, source, blocked);
            }
            String nextHop = route.nextHop();
            Neighbour neighbour = neighbour(current, nextHop, device);
            Next next = next(current, out, nextHop, neighbour);
            LinkDetail in = next == null || next.device() == null ? null : link(next.namespace(), next.device());
            if (next != null) {
                // The far end's state explains an unresolved neighbour better than the neighbour itself.
                String inDown = linkDown(next.namespace(), in);
                String inBlocked = inDown != null ? inDown : blockedPort(next.namespace(), in);
                if (inBlocked != null) {
                    hops.add(hop(current, device, next));
                    return Leg.broken(hops, next.namespace(), source, inBlocked);
                }
            }
            if (neighbour != null
                    && (neighbour.states().contains("FAILED")
                            || neighbour.states().contains("INCOMPLETE"))) {
                return Leg.broken(
                        hops,
                        current,
                        source,
                        current + " could not resolve " + nextHop + " on " + device + " (neighbour "
                                + String.join(",", neighbour.states()) + "): " + unresolvedBecause(current, nextHop));
            }
            if (next == null) {
                return Leg.broken(
                        hops,
                        current,
                        source,
                        current + " sends it to " + nextHop + " via " + device
                                + ", but no namespace of the lab holds that address or the other end of " + device);
            }
            hops.add(hop(current, device, next));
            if (visited.contains(next.namespace())) {
                return Leg.broken(
                        hops, next.namespace(), source, "routing loop: the packet is back in " + next.namespace());
            }
            current = next.namespace();
            // A bridge port hands its frames to the bridge: IP sees them arrive on the bridge.
            inputDevice = in != null && in.master() != null ? in.master() : next.device();
        }
        return Leg.broken(hops, current, source, "gave up after " + MAX_STOPS + " stops without reaching " + target);
    }

    private String explain(String ns, String target, String source, String inputDevice, String error) {
        String lower = error.toLowerCase(java.util.Locale.ROOT);
        if (error.startsWith(PathView.OUT_OF_TIME)) {
            return "the walk stopped in " + ns + ": " + error;
        }
        if (lower.contains("network is unreachable")) {
            return ns + " has no route to " + target;
        }
        if (lower.contains("no route to host")) {
            String off = inputDevice == null ? null : forwardingOff(ns, target, inputDevice);
            return off != null ? off : ns + " has an unreachable route to " + target;
        }
        if (lower.contains("permission denied")) {
            return ns + " has a prohibit route to " + target;
        }
        if (lower.contains("invalid argument") && inputDevice != null && !IpLiteral.isIpv6(target)) {
            int strict = Math.max(
                    number(view.sysctl(ns, "net/ipv4/conf/all/rp_filter")),
                    number(view.sysctl(ns, "net/ipv4/conf/" + inputDevice + "/rp_filter")));
            if (strict > 0) {
                PathView.Lookup back = view.routeGet(ns, source, null, null);
                String way = back.route() != null
                        ? "its route back to " + source + " leaves via "
                                + back.route().device()
                        : "it has no route back to " + source;
                return "rp_filter=" + strict + " in " + ns + " drops it: it arrives on " + inputDevice + " from "
                        + source + ", but " + way;
            }
        }
        if (lower.contains("invalid argument")) {
            return ns + " refuses it (a blackhole route to " + target + ", or a martian source " + source + "): "
                    + error.strip();
        }
        return ns + " cannot route to " + target + ": " + error.strip();
    }

    private String forwardingOff(String ns, String target, String inputDevice) {
        String key = IpLiteral.isIpv6(target)
                ? "net/ipv6/conf/all/forwarding"
                : "net/ipv4/conf/" + inputDevice + "/forwarding";
        if ("0".equals(view.sysctl(ns, key))) {
            return "forwarding is off in " + ns + " (" + key.replace('/', '.') + "=0)";
        }
        return null;
    }

    private static String linkDown(String ns, LinkDetail link) {
        if (link == null || "lo".equals(link.name())) {
            return null;
        }
        if (!link.isUp()) {
            return ns + "'s " + link.name() + " is down";
        }
        if (!link.hasCarrier() && !"bridge".equals(link.kind())) {
            // A bridge has no carrier when none of its ports has; the stop behind the port names the cause.
            return ns + "'s " + link.name() + " has no carrier (the other end of the link is down)";
        }
        return null;
    }

    /**
     * Why a link's frames stop at a bridge: the link, or the other end of its veth, is a bridge port
     * that is not forwarding (a port stays {@code disabled} until the kernel has seen its carrier).
     */
    private String blockedPort(String ns, LinkDetail link) {
        if (link == null) {
            return null;
        }
        if (link.master() != null) {
            String state = view.portStates(ns).get(link.name());
            if (state != null && !"forwarding".equals(state)) {
                return ns + "'s " + link.name() + " is a port of bridge " + link.master() + " in state " + state
                        + ", not forwarding";
            }
        }
        if (link.peerNsId() >= 0 && link.peerIndex() > 0) {
            String peer = view.peers(ns).get(link.peerNsId());
            LinkDetail end = peer == null
                    ? null
                    : view.links(peer).stream()
                            .filter(l -> l.index() == link.peerIndex())
                            .findFirst()
                            .orElse(null);
            if (end != null && end.master() != null) {
                String state = view.portStates(peer).get(end.name());
                if (state != null && !"forwarding".equals(state)) {
                    return peer + "'s " + end.name() + " (the other end of " + ns + "'s " + link.name()
                            + ") is a port of bridge " + end.master() + " in state " + state + ", not forwarding";
                }
            }
        }
        return null;
    }

    private String unresolvedBecause(String ns, String address) {
        List<String> holders = new ArrayList<>();
        for (String other : view.namespaces()) {
            if (other.equals(ns)) {
                continue;
            }
            for (InterfaceAddress held : view.addresses(other)) {
                if (sameAddress(held.address(), address)) {
                    String down = linkDown(other, link(other, held.iface()));
                    if (down != null) {
                        return down + ", and it holds " + address;
                    }
                    holders.add(other);
                }
            }
        }
        if (holders.isEmpty()) {
            return "no namespace of the lab holds " + address + ", and nothing answered for it";
        }
        return String.join(", ", holders) + " holds " + address + " but did not answer";
    }

    /**
     * The next stop: the one namespace that holds the next hop's address; else the one whose
     * interface owns the MAC the next hop resolved to (proxy ARP, shared addresses); else the
     * namespace at the other end of the veth, unless that end is a bridge port.
     */
    private Next next(String ns, LinkDetail out, String nextHop, Neighbour neighbour) {
        String mac = neighbour == null ? "" : neighbour.mac();
        List<Next> byAddress = new ArrayList<>();
        for (String other : view.namespaces()) {
            if (other.equals(ns)) {
                continue;
            }
            for (InterfaceAddress address : view.addresses(other)) {
                if (sameAddress(address.address(), nextHop)) {
                    byAddress.add(new Next(other, address.iface()));
                }
            }
        }
        if (byAddress.size() == 1) {
            return byAddress.get(0);
        }
        if (!mac.isEmpty()) {
            for (String other : view.namespaces()) {
                if (!other.equals(ns)) {
                    for (LinkDetail link : view.links(other)) {
                        if (mac.equalsIgnoreCase(link.mac())) {
                            return new Next(other, link.name());
                        }
                    }
                }
            }
        }
        if (out != null && out.peerNsId() >= 0 && out.peerIndex() > 0) {
            String peer = view.peers(ns).get(out.peerNsId());
            if (peer != null) {
                for (LinkDetail link : view.links(peer)) {
                    // A bridge port is only a switch on the way: who is behind it is not known here.
                    if (link.index() == out.peerIndex() && link.master() == null) {
                        return new Next(peer, link.name());
                    }
                }
            }
        }
        return byAddress.isEmpty() ? null : byAddress.get(0);
    }

    private LinkDetail link(String ns, String name) {
        return view.links(ns).stream()
                .filter(l -> l.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    private Neighbour neighbour(String ns, String address, String device) {
        return view.neighbours(ns).stream()
                .filter(n -> Objects.equals(n.device(), device) && sameAddress(n.address(), address))
                .findFirst()
                .orElse(null);
    }

    private static boolean sameAddress(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        if (a.equals(b)) {
            return true;
        }
        try {
            return IpLiteral.canonical(a).equals(IpLiteral.canonical(b));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The hop from {@code from} out of {@code device} to {@code next}, naming the tunnel it crosses, if any. */
    private Hop hop(String from, String device, Next next) {
        return new Hop(
                from,
                device,
                next.namespace(),
                next.device(),
                view.tunnel(from, device).orElse(null));
    }

    private record Next(String namespace, String device) {}
}
