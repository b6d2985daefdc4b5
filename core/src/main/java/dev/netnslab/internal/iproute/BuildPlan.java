package dev.netnslab.internal.iproute;

import dev.netnslab.internal.topology.Topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A topology rendered to {@code ip -batch} scripts, the fewest processes that build a lab (docs/kernel-notes.md):
 * one batch in the root namespace that adds every namespace and creates every veth pair with both
 * ends already in place (no {@code link set netns}, which costs an RCU wait), then one
 * {@code ip -n NS -batch -} per namespace for its bridges, VXLAN devices, MTUs, bridge ports,
 * addresses, links and routes. What {@code ip} cannot set (sysctls, qdiscs, extra VXLAN remotes,
 * firewall rules) follows as a few {@linkplain NamespaceStep steps}, rendered by {@link NamespaceSettings}.
 *
 * <p>Pure: rendering touches nothing. Lines hold only validated names and addresses.
 *
 * @param systemNames  logical namespace name to the name in {@code ip netns list}, in creation order
 * @param rootBatch    the lines of the root-namespace batch; line {@code i} (1-based) adds
 *                     {@code systemNames} entry {@code i} for the first {@code systemNames.size()} lines
 * @param namespaceBatches system namespace name to the lines of its own batch
 * @param steps        commands run inside namespaces after the batches, in order
 */
public record BuildPlan(Map<String, String> systemNames, List<String> rootBatch, Map<String, List<String>> namespaceBatches,
                        List<NamespaceStep> steps) {

    public BuildPlan {
        systemNames = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(systemNames));
        rootBatch = List.copyOf(rootBatch);
        namespaceBatches = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(namespaceBatches));
        steps = List.copyOf(steps);
    }

    /**
     * Renders a validated topology. {@code systemName} maps a logical name (including {@code host})
     * to its system name.
     */
    public static BuildPlan render(Topology topology, UnaryOperator<String> systemName) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String ns : topology.allNamespaces()) {
            names.put(ns, systemName.apply(ns));
        }
        List<String> root = new ArrayList<>();
        names.values().forEach(sys -> root.add("netns add " + sys));
        for (Topology.Veth veth : topology.veths()) {
            root.add("link add " + veth.a().iface() + " netns " + names.get(veth.a().namespace())
                    + " type veth peer name " + veth.b().iface() + " netns " + names.get(veth.b().namespace()));
        }

        Map<String, List<String>> perNamespace = new LinkedHashMap<>();
        for (String ns : topology.allNamespaces()) {
            List<String> lines = new ArrayList<>();
            lines.add("link set lo up");
            devices(topology, ns, lines);
            for (Topology.AddressSpec address : topology.addresses()) {
                if (address.namespace().equals(ns)) {
                    lines.add("addr add " + address.cidr() + " dev " + address.iface());
                }
            }
            Set<String> ifaces = new LinkedHashSet<>(topology.interfacesOf(ns));
            ifaces.forEach(iface -> lines.add("link set " + iface + " up"));
            for (Topology.RouteSpec route : topology.routes()) {
                if (route.namespace().equals(ns)) {
                    lines.add(routeLine(route));
                }
            }
            perNamespace.put(names.get(ns), lines);
        }
        return new BuildPlan(names, root, perNamespace, NamespaceSettings.render(topology, names));
    }

    /**
     * The lines that shape a namespace's devices before addresses go on: bridges first (ports need
     * them), then VXLAN devices (on their underlay device), MTUs, and bridge ports.
     */
    private static void devices(Topology topology, String ns, List<String> lines) {
        for (Topology.BridgeSpec bridge : topology.bridges()) {
            if (bridge.namespace().equals(ns)) {
                lines.add("link add " + bridge.name() + " type bridge");
            }
        }
        for (Topology.VxlanSpec vxlan : topology.vxlans()) {
            if (vxlan.namespace().equals(ns)) {
                lines.add("link add " + vxlan.name() + " type vxlan id " + vxlan.vni() + " dstport " + vxlan.port()
                        + " remote " + vxlan.remotes().get(0) + " dev " + vxlan.dev());
            }
        }
        for (Topology.LinkSettings link : topology.links()) {
            if (link.namespace().equals(ns) && link.mtu() != 0) {
                lines.add("link set " + link.iface() + " mtu " + link.mtu());
            }
        }
        for (Topology.PortSpec port : topology.ports()) {
            if (port.namespace().equals(ns)) {
                lines.add("link set " + port.iface() + " master " + port.bridge());
            }
        }
    }

    private static String routeLine(Topology.RouteSpec route) {
        StringBuilder line = new StringBuilder("route add ").append(route.destination().toRouteString());
        if (route.via() != null) {
            line.append(" via ").append(route.via());
        }
        if (route.dev() != null) {
            line.append(" dev ").append(route.dev());
        }
        return line.toString();
    }

    /** The lines of the teardown batch (run with {@code -force}): delete every namespace, then list what is left. */
    public static List<String> teardown(List<String> systemNamespaces) {
        List<String> lines = new ArrayList<>();
        systemNamespaces.forEach(ns -> lines.add("netns del " + ns));
        lines.add("netns list");
        return lines;
    }

    /** Joins batch lines into the text fed to {@code ip -batch -}. */
    public static String script(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }
}
