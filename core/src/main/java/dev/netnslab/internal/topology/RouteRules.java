package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a topology's routes and policy rules must satisfy: only what the kernel would refuse, or what
 * could never carry a packet. Called by {@link TopologyValidator}.
 */
final class RouteRules {

    /** What a rule's priority may be, for messages. */
    static final String PRIORITY_RULE = "a rule's priority is 0-4294967295 (lower is consulted first)";

    /** The scopes {@code ip route} takes by name. */
    private static final Set<String> SCOPES = Set.of("global", "universe", "site", "link", "host");

    private RouteRules() {}

    /** Adds the first rule each route and each policy rule breaks to {@code problems}. */
    static void check(
            Topology topology, Set<String> namespaces, Map<String, Map<String, String>> interfaces, Problems problems) {
        Set<String> keys = new HashSet<>();
        for (Topology.RouteSpec route : topology.routes()) {
            problems.check(() -> checkRoute(topology, namespaces, interfaces, keys, route));
        }
        Set<Topology.RuleSpec> seen = new HashSet<>();
        for (Topology.RuleSpec rule : topology.rules()) {
            problems.check(() -> checkRule(namespaces, seen, rule));
        }
    }

    private static void checkRoute(
            Topology topology,
            Set<String> namespaces,
            Map<String, Map<String, String>> interfaces,
            Set<String> keys,
            Topology.RouteSpec route) {
        String element = "route in " + route.namespace();
        TopologyValidator.checkKnown(namespaces, element, route.namespace());
        String to = element + " to " + route.destination().toRouteString();
        if (route.dev() != null && !route.dev().equals("lo")) {
            TopologyValidator.checkInterface(interfaces, to, route.dev(), route.namespace(), route.dev());
        }
        if (route.via() == null && route.dev() == null && !route.refuses()) {
            throw new InvalidLabSpecException(
                    element,
                    route.destination().toRouteString(),
                    "a route leaves through a gateway"
                            + " or a device, and this one names neither; give the gateway (via), or write the namespace as ns:dev for a"
                            + " device route");
        }
        checkOptions(topology, route, to);
        String key = route.namespace() + " " + route.destination() + " table " + route.effectiveTable() + " metric "
                + route.effectiveMetric();
        if (!keys.add(key)) {
            throw new InvalidLabSpecException(
                    element,
                    route.destination().toRouteString(),
                    "a routing table holds one route per destination and metric, and this destination is given twice with"
                            + " metric " + route.effectiveMetric() + " in table " + tableName(route.effectiveTable())
                            + "; give one of them another metric (RouteOptions.metric(...)) or another table (RouteOptions.table(...))");
        }
        if (route.via() != null) {
            checkGateway(topology, route, to);
        }
    }

    private static void checkOptions(Topology topology, Topology.RouteSpec route, String to) {
        IpAddress.Family family = route.destination().family();
        if (route.refuses() && (route.onLink() || route.scope() != null || route.src() != null)) {
            throw new InvalidLabSpecException(
                    to,
                    route.type().keyword(),
                    (route.type() == Topology.RouteType.UNREACHABLE ? "an " : "a ")
                            + route.type().keyword()
                            + " route drops what matches it, so it takes no"
                            + " on-link flag, scope or source address; keep only its metric, table or MTU");
        }
        if (route.onLink() && (route.dev() == null || route.via() == null)) {
            throw new InvalidLabSpecException(
                    to,
                    "onlink",
                    "on-link says a gateway is directly reachable on a device, so the route"
                            + " needs both a gateway (via) and a dev; give both, or drop RouteOptions.onLink()");
        }
        if (route.scope() != null) {
            if (!SCOPES.contains(route.scope())) {
                throw new InvalidLabSpecException(
                        to + " scope", route.scope(), "the scope must be one of " + sorted(SCOPES));
            }
            if (route.via() != null
                    && (route.scope().equals("link") || route.scope().equals("host"))) {
                throw new InvalidLabSpecException(
                        to + " scope",
                        route.scope(),
                        "a route via a gateway reaches beyond the link,"
                                + " and the kernel refuses a gateway on a route of scope " + route.scope()
                                + "; drop the scope, or drop"
                                + " the gateway to make it a device route");
            }
        }
        if (route.src() != null) {
            boolean local = topology.addresses().stream()
                    .anyMatch(a -> Objects.equals(a.namespace(), route.namespace())
                            && a.cidr().address().equals(route.src()));
            if (route.src().family() != family || !local) {
                throw new InvalidLabSpecException(
                        to + " src",
                        route.src().toString(),
                        "the preferred source must be an "
                                + family + " address of the namespace itself ("
                                + TopologyValidator.addressesOf(topology, route.namespace())
                                + "); the kernel refuses any other");
            }
        }
        if (route.metric() < -1 || route.metric() > 0xFFFFFFFFL) {
            throw new InvalidLabSpecException(
                    to + " metric", String.valueOf(route.metric()), "a metric is 0-4294967295");
        }
        if (route.table() < 0 || route.table() > 0xFFFFFFFFL) {
            throw new InvalidLabSpecException(
                    to + " table",
                    String.valueOf(route.table()),
                    "a routing table is numbered 1-4294967295 (main is 254)");
        }
        if (route.mtu() < 0 || route.mtu() > 65535) {
            throw new InvalidLabSpecException(to + " mtu", String.valueOf(route.mtu()), "a route's MTU is 1-65535");
        }
    }

    /**
     * A gateway must be reachable without another gateway: inside a subnet of the namespace's own
     * addresses (on {@code dev}, when the route names one; not those added {@code noprefixroute},
     * which route nothing), covered by a device route of the same
     * namespace (Calico's {@code 169.254.1.1 dev eth0 scope link}), marked on-link, or an IPv6
     * link-local address on a named device.
     */
    private static void checkGateway(Topology topology, Topology.RouteSpec route, String to) {
        IpAddress via = route.via();
        String value = via.toString();
        if (route.destination().family() == IpAddress.Family.IPV6 && !via.isIpv6()) {
            throw new InvalidLabSpecException(
                    to,
                    value,
                    "an IPv6 route needs an IPv6 gateway; the kernel has no IPv6" + " route via an IPv4 next hop");
        }
        if (via.isUnspecified() || via.isMulticast()) {
            throw new InvalidLabSpecException(to, value, "a gateway must be a unicast address of a neighbour");
        }
        if (route.onLink()) {
            return;
        }
        if (via.isIpv6() && via.isLinkLocal()) {
            if (route.dev() == null) {
                throw new InvalidLabSpecException(
                        to,
                        value,
                        "a link-local gateway exists on every link at once, so the route"
                                + " must name the device it is on; write the namespace as ns:dev, such as route(\""
                                + route.namespace()
                                + ":eth0\", \"default\", \"" + value + "\")");
            }
            return;
        }
        // An address added noprefixroute routes nothing, so its subnet does not make a gateway reachable.
        boolean inSubnet = topology.addresses().stream()
                .filter(a -> Objects.equals(a.namespace(), route.namespace()) && !a.noPrefixRoute())
                .filter(a -> route.dev() == null || Objects.equals(a.iface(), route.dev()))
                .anyMatch(a -> a.cidr().contains(via));
        boolean byDeviceRoute = topology.routes().stream()
                .filter(r -> Objects.equals(r.namespace(), route.namespace()) && r != route)
                .filter(r -> r.via() == null && r.dev() != null && !r.refuses())
                .filter(r -> route.dev() == null || r.dev().equals(route.dev()))
                .filter(r -> r.scope() == null || r.scope().equals("link"))
                .anyMatch(r -> r.destination().contains(via));
        if (!inSubnet && !byDeviceRoute) {
            throw new InvalidLabSpecException(
                    to,
                    value,
                    "the kernel needs to reach a gateway directly, and " + value
                            + " is neither inside a subnet of the namespace's own addresses "
                            + TopologyValidator.addressesOf(topology, route.namespace())
                            + (route.dev() == null ? "" : " on " + route.dev()) + " nor covered by a device route;"
                            + " add a device route to it first (route(\"" + route.namespace() + ":dev\", \"" + value
                            + "\"), as Calico"
                            + " does), mark this route on-link (RouteOptions.onLink(), with a dev), or route via a neighbour on one of"
                            + " those subnets");
        }
    }

    private static void checkRule(Set<String> namespaces, Set<Topology.RuleSpec> seen, Topology.RuleSpec rule) {
        String element = "rule in " + rule.namespace();
        TopologyValidator.checkKnown(namespaces, element, rule.namespace());
        if (rule.from() != null
                && rule.to() != null
                && rule.from().family() != rule.to().family()) {
            throw new InvalidLabSpecException(
                    element,
                    "from " + rule.from() + " to " + rule.to(),
                    "a rule matches one family, so from and to must both be IPv4 or both IPv6");
        }
        if (rule.table() < 1 || rule.table() > 0xFFFFFFFFL) {
            throw new InvalidLabSpecException(
                    element + " table",
                    String.valueOf(rule.table()),
                    "a rule looks up a table numbered 1-4294967295 (main is 254)");
        }
        if (rule.priority() < -1 || rule.priority() > 0xFFFFFFFFL) {
            throw new InvalidLabSpecException(element + " priority", String.valueOf(rule.priority()), PRIORITY_RULE);
        }
        if (!seen.add(rule)) {
            throw new InvalidLabSpecException(
                    element,
                    describe(rule),
                    "the kernel refuses the same rule twice, and this one is given twice; remove one");
        }
    }

    static String describe(Topology.RuleSpec rule) {
        return "from " + (rule.from() == null ? "all" : rule.from().toRouteString())
                + (rule.to() == null ? "" : " to " + rule.to().toRouteString()) + " lookup " + rule.table();
    }

    private static String tableName(long table) {
        return table == 254 ? "main" : String.valueOf(table);
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
