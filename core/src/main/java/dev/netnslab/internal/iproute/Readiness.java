package dev.netnslab.internal.iproute;

import dev.netnslab.internal.topology.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which interfaces of a lab must carry packets before it is handed over, and what keeps them from
 * it. Every interface the spec brings up must be up with carrier, operational (the kernel's link
 * watcher has handled its carrier, and so attached its queueing discipline), forwarding when it is
 * a bridge port, and, where the spec gives it IPv6 addresses or runs duplicate address detection,
 * without tentative addresses. Kernel-made link-local addresses of interfaces that carry only IPv4
 * are left to the kernel: nothing of the lab's uses them. Pure.
 */
public final class Readiness {

    /**
     * One interface to wait for.
     *
     * @param namespace the logical namespace name
     * @param iface     the interface name
     * @param addresses whether its addresses must be past duplicate address detection too
     */
    public record Expected(String namespace, String iface, boolean addresses) {}

    private Readiness() {}

    /**
     * Every interface of the lab, by logical namespace name (in {@code topology}'s order).
     *
     * @param dadNamespaces the logical names of the namespaces that run duplicate address detection:
     *                      there, every address counts
     */
    public static Map<String, List<Expected>> ofLab(Topology topology, Collection<String> dadNamespaces) {
        Map<String, List<Expected>> result = new LinkedHashMap<>();
        for (String ns : topology.allNamespaces()) {
            List<Expected> expected = new ArrayList<>();
            for (String iface : topology.interfacesOf(ns)) {
                expected.add(new Expected(ns, iface, dadNamespaces.contains(ns) || hasIpv6(topology, ns, iface)));
            }
            if (!expected.isEmpty()) {
                result.put(ns, expected);
            }
        }
        return result;
    }

    /**
     * The interfaces whose state follows {@code iface} in {@code ns} when it comes up: itself, the
     * other end of its veth, and the bridges either end is a port of; leaving out those in
     * {@code down} ("ns/iface", taken down on purpose) and the bridges with such a port.
     */
    public static Map<String, List<Expected>> around(Topology topology, String ns, String iface, Set<String> down) {
        Set<Topology.End> ends = new LinkedHashSet<>();
        ends.add(new Topology.End(ns, iface));
        for (Topology.Veth veth : topology.veths()) {
            if (veth.a().equals(new Topology.End(ns, iface))) {
                ends.add(veth.b());
            } else if (veth.b().equals(new Topology.End(ns, iface))) {
                ends.add(veth.a());
            }
        }
        Set<Topology.End> all = new LinkedHashSet<>(ends);
        for (Topology.End end : ends) {
            for (Topology.PortSpec port : topology.ports()) {
                if (port.namespace().equals(end.namespace()) && port.iface().equals(end.iface())) {
                    Topology.End bridge = new Topology.End(port.namespace(), port.bridge());
                    if (!hasDownPort(topology, bridge, down)) {
                        all.add(bridge);
                    }
                }
            }
        }
        Map<String, List<Expected>> result = new LinkedHashMap<>();
        for (Topology.End end : all) {
            if (!down.contains(end.namespace() + "/" + end.iface())) {
                result.computeIfAbsent(end.namespace(), k -> new ArrayList<>())
                        .add(new Expected(
                                end.namespace(), end.iface(), hasIpv6(topology, end.namespace(), end.iface())));
            }
        }
        return result;
    }

    /**
     * What keeps the {@code expected} interfaces of one namespace from carrying packets, given their
     * {@code states}: one line per interface that is not ready, empty when all are.
     */
    public static List<String> problems(Map<String, LinkState> states, List<Expected> expected) {
        List<String> problems = new ArrayList<>();
        for (Expected want : expected) {
            LinkState state = states.get(want.iface());
            if (state == null) {
                problems.add(want.iface() + " is missing");
                continue;
            }
            String why = state.notReady(want.addresses());
            if (why != null) {
                problems.add(want.iface() + ": " + why + " (" + state.describe() + ")");
            }
        }
        return problems;
    }

    /** The addresses of the {@code expected} interfaces that duplicate address detection found in use elsewhere. */
    public static List<String> dadFailures(Map<String, LinkState> states, List<Expected> expected) {
        List<String> failed = new ArrayList<>();
        for (Expected want : expected) {
            LinkState state = states.get(want.iface());
            if (state != null && want.addresses()) {
                state.dadFailed().forEach(address -> failed.add(want.iface() + " " + address));
            }
        }
        return failed;
    }

    private static boolean hasDownPort(Topology topology, Topology.End bridge, Set<String> down) {
        for (Topology.PortSpec port : topology.ports()) {
            if (port.namespace().equals(bridge.namespace()) && port.bridge().equals(bridge.iface())) {
                if (down.contains(port.namespace() + "/" + port.iface())) {
                    return true;
                }
                for (Topology.Veth veth : topology.veths()) {
                    Topology.End end = new Topology.End(port.namespace(), port.iface());
                    Topology.End peer =
                            veth.a().equals(end) ? veth.b() : veth.b().equals(end) ? veth.a() : null;
                    if (peer != null && down.contains(peer.namespace() + "/" + peer.iface())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean hasIpv6(Topology topology, String ns, String iface) {
        return topology.addresses().stream()
                .anyMatch(a -> a.namespace().equals(ns)
                        && a.iface().equals(iface)
                        && a.cidr().address().isIpv6());
    }
}
