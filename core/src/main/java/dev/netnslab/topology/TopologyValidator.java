package dev.netnslab.topology;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a whole {@link Topology} before anything touches the kernel. The first broken rule is
 * thrown as an {@link InvalidLabSpecException} that names the element, the value and the rule.
 */
public final class TopologyValidator {

    private TopologyValidator() {
    }

    public static Topology validate(Topology topology) {
        Set<String> namespaces = new HashSet<>();
        namespaces.add(Names.HOST);
        for (String ns : topology.namespaces()) {
            Names.checkNamespace("namespace", ns);
            if (!namespaces.add(ns)) {
                throw new InvalidLabSpecException("namespace", ns, "namespace names must be unique within a lab, and this one is declared twice");
            }
        }

        Map<String, Set<String>> interfaces = new HashMap<>();
        for (Topology.Veth veth : topology.veths()) {
            for (Topology.End end : List.of(veth.a(), veth.b())) {
                checkKnown(namespaces, "veth end " + end, end.namespace());
                Names.checkInterface("interface in namespace " + end.namespace(), end.iface());
                if (!interfaces.computeIfAbsent(end.namespace(), k -> new HashSet<>()).add(end.iface())) {
                    throw new InvalidLabSpecException("interface in namespace " + end.namespace(), end.iface(),
                            "interface names must be unique within a namespace, and this one is used twice");
                }
            }
        }

        Map<Ipv4Address, Topology.AddressSpec> seen = new HashMap<>();
        for (Topology.AddressSpec address : topology.addresses()) {
            String element = "address of " + address.namespace() + ":" + address.iface();
            checkKnown(namespaces, element, address.namespace());
            if (!interfaces.getOrDefault(address.namespace(), Set.of()).contains(address.iface())) {
                throw new InvalidLabSpecException(element, address.cidr().toString(),
                        "the interface " + address.iface() + " does not exist in namespace " + address.namespace()
                                + "; it has " + sorted(interfaces.getOrDefault(address.namespace(), Set.of())));
            }
            Topology.AddressSpec previous = seen.putIfAbsent(address.cidr().address(), address);
            if (previous != null) {
                throw new InvalidLabSpecException(element, address.cidr().toString(),
                        "every address in a lab must be unique, and " + address.cidr().address() + " is already on "
                                + previous.namespace() + ":" + previous.iface());
            }
            for (Topology.AddressSpec other : topology.addresses()) {
                if (other == address) {
                    break;
                }
                if (other.namespace().equals(address.namespace()) && !other.iface().equals(address.iface())
                        && other.cidr().overlaps(address.cidr())) {
                    throw new InvalidLabSpecException(element, address.cidr().toString(),
                            "subnets on different interfaces of one namespace must not overlap, and it overlaps "
                                    + other.cidr() + " on " + other.iface());
                }
            }
        }

        for (Topology.RouteSpec route : topology.routes()) {
            String element = "route in " + route.namespace();
            checkKnown(namespaces, element, route.namespace());
            if (route.dev() != null && !interfaces.getOrDefault(route.namespace(), Set.of()).contains(route.dev())) {
                throw new InvalidLabSpecException(element, route.dev(),
                        "the route's device must be an interface of namespace " + route.namespace() + "; it has "
                                + sorted(interfaces.getOrDefault(route.namespace(), Set.of())));
            }
            if (route.via() != null) {
                boolean onLink = topology.addresses().stream()
                        .filter(a -> a.namespace().equals(route.namespace()))
                        .filter(a -> route.dev() == null || a.iface().equals(route.dev()))
                        .anyMatch(a -> a.cidr().contains(route.via()));
                if (!onLink) {
                    throw new InvalidLabSpecException(element + " to " + route.destination().toRouteString(), route.via().toString(),
                            "the gateway must be on-link, inside a subnet of one of the namespace's own addresses ("
                                    + addressesOf(topology, route.namespace()) + ")");
                }
            }
        }
        return topology;
    }

    private static void checkKnown(Set<String> namespaces, String element, String namespace) {
        if (!namespaces.contains(namespace)) {
            throw new InvalidLabSpecException(element, namespace,
                    "it refers to an unknown namespace; the lab has " + sorted(namespaces));
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static List<String> addressesOf(Topology topology, String namespace) {
        return topology.addresses().stream().filter(a -> a.namespace().equals(namespace))
                .map(a -> a.cidr().toString()).toList();
    }
}
