package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a whole {@link Topology} before anything touches the kernel. The first broken rule is
 * thrown as an {@link InvalidLabSpecException} that names the element, the value and the rule.
 * Devices, sysctls, firewall rules and link settings are checked by {@link DeviceRules}.
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
        Map<String, Map<String, String>> interfaces = interfaces(topology, namespaces);
        DeviceRules.check(topology, namespaces, interfaces);
        checkAddresses(topology, namespaces, interfaces);
        checkRoutes(topology, namespaces, interfaces);
        return topology;
    }

    /** Namespace to (interface name to what created it), checking names and uniqueness. */
    private static Map<String, Map<String, String>> interfaces(Topology topology, Set<String> namespaces) {
        Map<String, Map<String, String>> interfaces = new HashMap<>();
        for (Topology.Veth veth : topology.veths()) {
            for (Topology.End end : List.of(veth.a(), veth.b())) {
                checkKnown(namespaces, "veth end " + end, end.namespace());
                declare(interfaces, end.namespace(), end.iface(), "a veth end");
            }
        }
        for (Topology.BridgeSpec bridge : topology.bridges()) {
            checkKnown(namespaces, "bridge " + bridge.name(), bridge.namespace());
            declare(interfaces, bridge.namespace(), bridge.name(), "a bridge");
        }
        for (Topology.VxlanSpec vxlan : topology.vxlans()) {
            checkKnown(namespaces, "vxlan " + vxlan.name(), vxlan.namespace());
            declare(interfaces, vxlan.namespace(), vxlan.name(), "a vxlan device");
        }
        return interfaces;
    }

    private static void declare(Map<String, Map<String, String>> interfaces, String ns, String iface, String kind) {
        Names.checkInterface("interface in namespace " + ns, iface);
        String previous = interfaces.computeIfAbsent(ns, k -> new LinkedHashMap<>()).putIfAbsent(iface, kind);
        if (previous != null) {
            throw new InvalidLabSpecException("interface in namespace " + ns, iface,
                    "interface names must be unique within a namespace, and this one is used twice: "
                            + (previous.equals(kind) ? "as " + kind + " two times" : "as " + previous + " and as " + kind));
        }
    }

    private static void checkAddresses(Topology topology, Set<String> namespaces, Map<String, Map<String, String>> interfaces) {
        Map<Ipv4Address, Topology.AddressSpec> seen = new HashMap<>();
        for (Topology.AddressSpec address : topology.addresses()) {
            String element = "address of " + address.namespace() + ":" + address.iface();
            checkKnown(namespaces, element, address.namespace());
            checkInterface(interfaces, element, address.cidr().toString(), address.namespace(), address.iface());
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
                                    + other.cidr() + " on " + other.iface() + "; give each interface its own subnet");
                }
            }
        }
    }

    private static void checkRoutes(Topology topology, Set<String> namespaces, Map<String, Map<String, String>> interfaces) {
        Set<String> destinations = new HashSet<>();
        for (Topology.RouteSpec route : topology.routes()) {
            String element = "route in " + route.namespace();
            checkKnown(namespaces, element, route.namespace());
            if (route.dev() != null) {
                checkInterface(interfaces, element + " to " + route.destination().toRouteString(), route.dev(),
                        route.namespace(), route.dev());
            }
            if (!destinations.add(route.namespace() + " " + route.destination())) {
                throw new InvalidLabSpecException(element, route.destination().toRouteString(),
                        "a namespace can have one route per destination, and this destination is given twice");
            }
            if (route.via() != null) {
                boolean onLink = topology.addresses().stream()
                        .filter(a -> a.namespace().equals(route.namespace()))
                        .filter(a -> route.dev() == null || a.iface().equals(route.dev()))
                        .anyMatch(a -> a.cidr().contains(route.via()));
                if (!onLink) {
                    throw new InvalidLabSpecException(element + " to " + route.destination().toRouteString(), route.via().toString(),
                            "the gateway must be on-link, inside a subnet of one of the namespace's own addresses ("
                                    + addressesOf(topology, route.namespace()) + "); route via a neighbour on one of those subnets");
                }
            }
        }
    }

    static void checkKnown(Set<String> namespaces, String element, String namespace) {
        if (!namespaces.contains(namespace)) {
            throw new InvalidLabSpecException(element, namespace,
                    "it refers to an unknown namespace; the lab has " + sorted(namespaces) + "; declare it with namespace(...) first");
        }
    }

    /** Checks that {@code iface} is an interface the lab creates in {@code namespace}. */
    static void checkInterface(Map<String, Map<String, String>> interfaces, String element, String value, String namespace, String iface) {
        Set<String> existing = interfaces.getOrDefault(namespace, Map.of()).keySet();
        if (!existing.contains(iface)) {
            throw new InvalidLabSpecException(element, value,
                    "the interface " + iface + " does not exist in namespace " + namespace + "; it has " + sorted(existing));
        }
    }

    static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static List<String> addressesOf(Topology topology, String namespace) {
        return topology.addresses().stream().filter(a -> a.namespace().equals(namespace))
                .map(a -> a.cidr().toString()).toList();
    }

    /**
     * The host side's address for a single-namespace lab: {@code hostIp} as given (bare, or with
     * the namespace's prefix), or when it is empty the highest usable address of the namespace's
     * subnet (the lowest, if that is the namespace's own).
     *
     * @throws InvalidLabSpecException when {@code hostIp} is malformed, outside the subnet, or the namespace's own
     */
    public static Ipv4Cidr hostAddress(Ipv4Cidr nsCidr, String hostIp) {
        Ipv4Cidr hostCidr;
        if (hostIp == null || hostIp.isEmpty()) {
            Ipv4Address last = nsCidr.lastHost();
            if (last.equals(nsCidr.address())) {
                last = nsCidr.firstHost();
            }
            hostCidr = new Ipv4Cidr(last, nsCidr.prefix());
        } else {
            Ipv4Address address = Ipv4Address.parse("hostIp", hostIp.contains("/") ? hostIp.substring(0, hostIp.indexOf('/')) : hostIp);
            if (hostIp.contains("/")) {
                Ipv4Cidr given = Ipv4Cidr.parse("hostIp", hostIp, nsCidr.prefix());
                if (given.prefix() != nsCidr.prefix()) {
                    throw new InvalidLabSpecException("hostIp", hostIp, "its prefix must match ip's subnet "
                            + nsCidr.subnet() + "; leave the prefix out or write /" + nsCidr.prefix());
                }
            }
            if (!nsCidr.contains(address)) {
                throw new InvalidLabSpecException("hostIp", hostIp, "it must lie inside ip's subnet " + nsCidr.subnet()
                        + " so the namespace can reach it directly; pick one of " + nsCidr.firstHost() + "-" + nsCidr.lastHost());
            }
            try {
                hostCidr = Ipv4Cidr.parseHost("hostIp", address + "/" + nsCidr.prefix());
            } catch (InvalidLabSpecException e) {
                // report the value as the user wrote it, not with the prefix we added
                throw new InvalidLabSpecException("hostIp", hostIp, e.rule());
            }
            if (address.equals(nsCidr.address())) {
                throw new InvalidLabSpecException("hostIp", hostIp, "it must differ from ip (" + nsCidr.address()
                        + "): the two ends of the veth pair need their own addresses");
            }
        }
        return hostCidr;
    }
}
