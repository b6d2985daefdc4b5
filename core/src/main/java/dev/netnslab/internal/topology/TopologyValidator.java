package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a whole {@link Topology} before anything touches the kernel. Each element is checked on its
 * own and against the others; the first rule an element breaks becomes one {@link InvalidLabSpecException}
 * that names the element, the value and the rule, and every element's problem is reported together.
 * Devices, sysctls, firewall rules and link settings are checked by {@link DeviceRules}, routes and
 * policy rules by {@link RouteRules}.
 */
public final class TopologyValidator {

    private TopologyValidator() {}

    /**
     * {@code topology}, when it breaks no rule.
     *
     * @throws InvalidLabSpecException with every problem found
     */
    public static Topology validate(Topology topology) {
        Problems problems = new Problems();
        check(topology, problems);
        problems.throwIfAny();
        return topology;
    }

    /** Checks every element of {@code topology}, adding the first rule each one breaks to {@code problems}. */
    public static void check(Topology topology, Problems problems) {
        Set<String> namespaces = new HashSet<>();
        namespaces.add(Names.HOST);
        for (String ns : topology.namespaces()) {
            problems.check(() -> {
                Names.checkNamespace("namespace", ns);
                if (namespaces.contains(ns)) {
                    throw new InvalidLabSpecException(
                            "namespace",
                            ns,
                            "namespace names must be unique within a lab, and this one is declared twice");
                }
            });
            // A badly named namespace is still known, so what refers to it is not reported as well.
            if (ns != null) {
                namespaces.add(ns);
            }
        }
        Map<String, Map<String, String>> interfaces = interfaces(topology, namespaces, problems);
        DeviceRules.check(topology, namespaces, interfaces, problems);
        checkAddresses(topology, namespaces, interfaces, problems);
        RouteRules.check(topology, namespaces, interfaces, problems);
    }

    /** Namespace to (interface name to what created it), checking names and uniqueness. */
    private static Map<String, Map<String, String>> interfaces(
            Topology topology, Set<String> namespaces, Problems problems) {
        Map<String, Map<String, String>> interfaces = new HashMap<>();
        for (Topology.Veth veth : topology.veths()) {
            for (Topology.End end : List.of(veth.a(), veth.b())) {
                problems.check(() -> checkKnown(namespaces, "veth end " + end, end.namespace()));
                declare(interfaces, end.namespace(), end.iface(), "a veth end", problems);
            }
        }
        for (Topology.BridgeSpec bridge : topology.bridges()) {
            problems.check(() -> checkKnown(namespaces, "bridge " + bridge.name(), bridge.namespace()));
            declare(interfaces, bridge.namespace(), bridge.name(), "a bridge", problems);
        }
        for (Topology.VxlanSpec vxlan : topology.vxlans()) {
            problems.check(() -> checkKnown(namespaces, "vxlan " + vxlan.name(), vxlan.namespace()));
            declare(interfaces, vxlan.namespace(), vxlan.name(), "a vxlan device", problems);
        }
        for (Topology.DeviceSpec device : topology.devices()) {
            problems.check(() -> checkKnown(namespaces, device.kind() + " " + device.name(), device.namespace()));
            declare(interfaces, device.namespace(), device.name(), "a " + device.kind() + " device", problems);
        }
        return interfaces;
    }

    /** Declares {@code iface}, even under a bad name, so that what refers to it is not reported as well. */
    private static void declare(
            Map<String, Map<String, String>> interfaces, String ns, String iface, String kind, Problems problems) {
        String previous = iface == null
                ? null
                : interfaces.computeIfAbsent(ns, k -> new LinkedHashMap<>()).putIfAbsent(iface, kind);
        problems.check(() -> {
            Names.checkInterface("interface in namespace " + ns, iface);
            if (previous != null) {
                throw new InvalidLabSpecException(
                        "interface in namespace " + ns,
                        iface,
                        "interface names must be unique within a namespace, and this one is used twice: "
                                + (previous.equals(kind)
                                        ? "as " + kind + " two times"
                                        : "as " + previous + " and as " + kind));
            }
        });
    }

    /**
     * What the kernel refuses, or what can never work, about addresses: an unknown interface, and the
     * same address twice on one interface. One address on several interfaces, the same address in
     * several namespaces and overlapping subnets are all fine: real datapaths use them (the CNI ptp
     * plugin's gateway address on every host-side veth, Flannel's /32 next to its /24 bridge).
     */
    private static void checkAddresses(
            Topology topology, Set<String> namespaces, Map<String, Map<String, String>> interfaces, Problems problems) {
        Set<String> seen = new HashSet<>();
        for (Topology.AddressSpec address : topology.addresses()) {
            problems.check(() -> {
                String element = "address of " + address.namespace() + ":" + address.iface();
                checkKnown(namespaces, element, address.namespace());
                checkInterface(interfaces, element, address.cidr().toString(), address.namespace(), address.iface());
                IpCidr cidr = address.cidr();
                // The kernel keys IPv4 addresses by address and prefix, IPv6 ones by address alone.
                String key = address.namespace() + " " + address.iface() + " "
                        + (cidr.address().isIpv6() ? cidr.address() : cidr);
                if (!seen.add(key)) {
                    throw new InvalidLabSpecException(
                            element,
                            cidr.toString(),
                            "an interface can hold an address once, and this one is given twice; remove one of the two address(...) calls");
                }
                if (address.dad() && !cidr.address().isIpv6()) {
                    throw new InvalidLabSpecException(
                            element,
                            cidr.toString(),
                            "duplicate address detection is IPv6's, and this is an IPv4 address; drop AddressOptions.dad()");
                }
            });
        }
    }

    static void checkKnown(Set<String> namespaces, String element, String namespace) {
        if (!namespaces.contains(namespace)) {
            throw new InvalidLabSpecException(
                    element,
                    namespace,
                    "it refers to an unknown namespace; the lab has " + sorted(namespaces)
                            + "; declare it with namespace(...) first");
        }
    }

    /** Checks that {@code iface} is an interface the lab creates in {@code namespace}. */
    static void checkInterface(
            Map<String, Map<String, String>> interfaces, String element, String value, String namespace, String iface) {
        Set<String> existing = interfaces.getOrDefault(namespace, Map.of()).keySet();
        if (!existing.contains(iface)) {
            throw new InvalidLabSpecException(
                    element,
                    value,
                    "the interface " + iface + " does not exist in namespace " + namespace + "; it has "
                            + sorted(existing));
        }
    }

    static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    static List<String> addressesOf(Topology topology, String namespace) {
        return topology.addresses().stream()
                .filter(a -> Objects.equals(a.namespace(), namespace))
                .map(a -> a.cidr().toString())
                .toList();
    }

    /**
     * The host side's address for a single-namespace lab: {@code hostIp} as given (bare, or with
     * the namespace's prefix), or when it is empty the highest usable address of the namespace's
     * subnet (the lowest, if that is the namespace's own).
     *
     * @throws InvalidLabSpecException when {@code hostIp} is malformed, outside the subnet, or the namespace's own
     */
    public static IpCidr hostAddress(IpCidr nsCidr, String hostIp) {
        if (hostIp == null || hostIp.isEmpty()) {
            IpAddress last = nsCidr.lastHost();
            if (last.equals(nsCidr.address())) {
                last = nsCidr.firstHost();
            }
            if (last.equals(nsCidr.address())) {
                throw new InvalidLabSpecException(
                        "ip",
                        nsCidr.toString(),
                        "a /" + nsCidr.prefix() + " leaves no second address"
                                + " for the host's end of the veth pair; give a shorter prefix (such as /24 or /31), or build a /"
                                + nsCidr.prefix()
                                + " layout with LabSpec.builder() and a link-scope route (docs/topology.md, Real datapaths)");
            }
            return new IpCidr(last, nsCidr.prefix());
        }
        IpAddress address =
                IpAddress.parse("hostIp", hostIp.contains("/") ? hostIp.substring(0, hostIp.indexOf('/')) : hostIp);
        if (hostIp.contains("/")) {
            IpCidr given = IpCidr.parse("hostIp", hostIp, nsCidr.prefix());
            if (given.prefix() != nsCidr.prefix()) {
                throw new InvalidLabSpecException(
                        "hostIp",
                        hostIp,
                        "its prefix must match ip's subnet " + nsCidr.subnet() + "; leave the prefix out or write /"
                                + nsCidr.prefix());
            }
        }
        if (!nsCidr.contains(address)) {
            throw new InvalidLabSpecException(
                    "hostIp",
                    hostIp,
                    "it must lie inside ip's subnet " + nsCidr.subnet()
                            + " so the namespace can reach it directly; pick one of " + nsCidr.firstHost() + "-"
                            + nsCidr.lastHost());
        }
        IpCidr hostCidr;
        try {
            hostCidr = IpCidr.parseHost("hostIp", address + "/" + nsCidr.prefix());
        } catch (InvalidLabSpecException e) {
            // report the value as the user wrote it, not with the prefix we added
            throw new InvalidLabSpecException("hostIp", hostIp, e.rule());
        }
        if (address.equals(nsCidr.address())) {
            throw new InvalidLabSpecException(
                    "hostIp",
                    hostIp,
                    "it must differ from ip (" + nsCidr.address()
                            + "): the two ends of the veth pair need their own addresses");
        }
        return hostCidr;
    }
}
