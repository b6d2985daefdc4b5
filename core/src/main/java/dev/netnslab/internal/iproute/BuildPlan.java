package dev.netnslab.internal.iproute;

import dev.netnslab.internal.topology.IpAddress;
import dev.netnslab.internal.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * ends already in place (no {@code link set netns}, which costs an RCU wait) and an interface index
 * of their own, and every VXLAN device without an underlay device of its own (a link to another
 * kernel: its UDP socket lives in the root namespace, the device in its lab namespace), then, only for macvlan
 * or ipvlan devices that live in another namespace than their parent, one batch in each parent's
 * namespace that creates them in place, then one {@code ip -n NS -batch -} per namespace for its
 * devices, MTUs, MACs, bridge ports, addresses, links, neighbours, routes and rules. What {@code ip}
 * cannot set (sysctls, qdiscs, FDB entries, firewall rules, IPv6 rules) follows as a few
 * {@linkplain NamespaceStep steps}, rendered by {@link NamespaceSettings}.
 *
 * <p>IPv6 addresses are added after their link is up: an address added to a link that is down was
 * measured to stay unusable for about a second after the link came up. They are added {@code nodad}
 * unless the spec asks for DAD, and such interfaces get a fixed link-local address in place of the
 * kernel's (which would be "tentative" for 1-2 s and break neighbour discovery through a router
 * meanwhile). The namespaces in {@link #dadNamespaces()} run DAD; the build waits for them.
 *
 * <p>Interface names always follow {@code dev} or {@code name}: a name is the user's, and one that
 * is also an {@code ip} keyword ({@code up}, {@code type}...) would otherwise be read as the keyword.
 *
 * <p>Pure: rendering touches nothing. Lines hold only validated names and addresses.
 *
 * @param systemNames      logical namespace name to the name in {@code ip netns list}, in creation order
 * @param rootBatch        the lines of the root-namespace batch; line {@code i} (1-based) adds
 *                         {@code systemNames} entry {@code i} for the first {@code systemNames.size()} lines
 * @param linkBatches      system namespace name to the lines that create devices of other namespaces from it
 * @param namespaceBatches system namespace name to the lines of its own batch
 * @param steps            commands run inside namespaces after the batches, in order
 * @param dadNamespaces    system names of the namespaces with addresses under duplicate address detection
 * @param earlySteps       commands run inside namespaces once they exist and before any interface is created
 *                         in them (the sysctls a spec sets before links); when there are some, the root batch
 *                         is run in two: its {@code netns add} lines, these steps, then its other lines
 */
public record BuildPlan(
        Map<String, String> systemNames,
        List<String> rootBatch,
        Map<String, List<String>> linkBatches,
        Map<String, List<String>> namespaceBatches,
        List<NamespaceStep> steps,
        List<String> dadNamespaces,
        List<NamespaceStep> earlySteps) {

    /** Shown when a lab asks for a link type the kernel lacks. */
    static final String LINK_TYPE_HINT =
            "%s needs kernel support (%s), and this kernel does not have it ('Unknown device type')."
                    + " netns-lab cannot create it here: remove %s(...) from the LabSpec, or run on a kernel that has it (most"
                    + " distribution kernels do; try the multipass or qemu backend). veth, bridge, vxlan and macvlan work on this one.";

    /**
     * The index of the first veth end. High, because kernels before 6.2 or so look an index given to
     * {@code link add} up in the namespace the command runs in (the root one, where 2 is usually the
     * machine's first NIC) and answer "File exists", even when the device goes to a fresh namespace;
     * no machine's root namespace has counted this far.
     */
    static final int FIRST_VETH_INDEX = 100_000_000;

    public BuildPlan {
        systemNames = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(systemNames));
        rootBatch = List.copyOf(rootBatch);
        linkBatches = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(linkBatches));
        namespaceBatches = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(namespaceBatches));
        steps = List.copyOf(steps);
        dadNamespaces = List.copyOf(dadNamespaces);
        earlySteps = List.copyOf(earlySteps);
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
        // Every veth end gets an index of its own in the lab (the namespaces are new, only lo holds 1).
        // When both ends of a pair share an index, as they do by default in two fresh namespaces, the
        // kernel's link watcher handles their carrier as not urgent, up to a second later, and the
        // link drops every packet until then (linkwatch_urgent_event in net/core/link_watch.c).
        int index = FIRST_VETH_INDEX;
        for (Topology.Veth veth : topology.veths()) {
            root.add("link add name " + veth.a().iface() + " index " + index + " netns "
                    + names.get(veth.a().namespace()) + " type veth peer name "
                    + veth.b().iface() + " index " + (index + 1) + " netns "
                    + names.get(veth.b().namespace()));
            index += 2;
        }
        for (Topology.VxlanSpec vxlan : topology.vxlans()) {
            if (vxlan.dev() == null) {
                // Created here, in the underlay, and placed into its namespace: its UDP socket stays here.
                // With its MTU from the start, so that devices stacked on it later take theirs from it.
                int mtu = topology.links().stream()
                        .filter(l -> l.namespace().equals(vxlan.namespace())
                                && l.iface().equals(vxlan.name())
                                && l.mtu() > 0)
                        .mapToInt(Topology.LinkSettings::mtu)
                        .findFirst()
                        .orElse(0);
                String line = vxlanLine(vxlan, names.get(vxlan.namespace()));
                root.add(mtu == 0 ? line : line.replace(" type vxlan ", " mtu " + mtu + " type vxlan "));
            }
        }
        Map<String, List<String>> linkBatches = new LinkedHashMap<>();
        for (Topology.DeviceSpec device : topology.devices()) {
            if (device.parentNamespace() != null && !device.parentNamespace().equals(device.namespace())) {
                linkBatches
                        .computeIfAbsent(names.get(device.parentNamespace()), k -> new ArrayList<>())
                        .add(stackedDevice(device, names.get(device.namespace())));
            }
        }

        Map<String, List<String>> perNamespace = new LinkedHashMap<>();
        List<String> dad = new ArrayList<>();
        for (String ns : topology.allNamespaces()) {
            List<String> lines = new ArrayList<>();
            lines.add("link set lo up");
            devices(topology, ns, lines);
            Set<String> fixedLinkLocal = fixedLinkLocal(topology, ns);
            fixedLinkLocal.forEach(iface -> lines.add("link set dev " + iface + " addrgenmode none"));
            for (Topology.AddressSpec address : topology.addresses()) {
                if (address.namespace().equals(ns) && !address.cidr().address().isIpv6()) {
                    lines.add(addressLine(address));
                }
            }
            Set<String> ifaces = new LinkedHashSet<>(topology.interfacesOf(ns));
            ifaces.forEach(iface -> lines.add("link set dev " + iface + " up"));
            for (String iface : fixedLinkLocal) {
                boolean declared = topology.addresses().stream()
                        .anyMatch(a -> a.namespace().equals(ns)
                                && a.iface().equals(iface)
                                && a.cidr().address().isLinkLocal());
                if (!declared) {
                    lines.add("addr add " + linkLocal(ns, iface) + "/64 dev " + iface + " nodad");
                }
            }
            for (Topology.AddressSpec address : topology.addresses()) {
                if (address.namespace().equals(ns) && address.cidr().address().isIpv6()) {
                    lines.add(addressLine(address));
                    if (address.dad() && !dad.contains(names.get(ns))) {
                        dad.add(names.get(ns));
                    }
                }
            }
            for (Topology.NeighbourSpec neighbour : topology.neighbours()) {
                if (neighbour.namespace().equals(ns)) {
                    lines.add("neigh add " + neighbour.ip() + " lladdr " + neighbour.mac() + " dev " + neighbour.iface()
                            + " nud permanent");
                }
            }
            // Device routes first: a gateway may be reachable only through one of them (Calico's 169.254.1.1).
            topology.routes().stream()
                    .filter(r -> r.namespace().equals(ns) && r.via() == null)
                    .forEach(r -> lines.add(routeLine(r)));
            topology.routes().stream()
                    .filter(r -> r.namespace().equals(ns) && r.via() != null)
                    .forEach(r -> lines.add(routeLine(r)));
            topology.rules().stream()
                    .filter(r -> r.namespace().equals(ns) && r.family() == IpAddress.Family.IPV4)
                    .forEach(r -> lines.add(ruleLine(r)));
            perNamespace.put(names.get(ns), lines);
        }
        return new BuildPlan(
                names,
                root,
                linkBatches,
                perNamespace,
                NamespaceSettings.render(topology, names),
                dad,
                NamespaceSettings.beforeLinks(topology, names));
    }

    /**
     * The lines that shape a namespace's devices before addresses go on: bridges first (ports need
     * them), then VXLAN devices (on their underlay device), stacked devices and VRFs, MTUs, MACs,
     * bridge ports and their flags.
     */
    private static void devices(Topology topology, String ns, List<String> lines) {
        for (Topology.BridgeSpec bridge : topology.bridges()) {
            if (bridge.namespace().equals(ns)) {
                lines.add("link add name " + bridge.name() + " type bridge"
                        + (bridge.ageingCentis() < 0 ? "" : " ageing_time " + bridge.ageingCentis())
                        + (bridge.groupForwardMask() < 0 ? "" : " group_fwd_mask " + bridge.groupForwardMask()));
            }
        }
        for (Topology.VxlanSpec vxlan : topology.vxlans()) {
            if (vxlan.namespace().equals(ns) && vxlan.dev() != null) {
                lines.add(vxlanLine(vxlan, null));
            }
        }
        for (Topology.DeviceSpec device : topology.devices()) {
            if (device.namespace().equals(ns)
                    && (device.parentNamespace() == null
                            || device.parentNamespace().equals(ns))) {
                lines.add(stackedDevice(device, null));
            }
        }
        for (Topology.LinkSettings link : topology.links()) {
            if (link.namespace().equals(ns) && link.mtu() != 0) {
                lines.add("link set dev " + link.iface() + " mtu " + link.mtu());
            }
            if (link.namespace().equals(ns) && link.mac() != null) {
                lines.add("link set dev " + link.iface() + " address " + link.mac());
            }
        }
        for (Topology.PortSpec port : topology.ports()) {
            if (port.namespace().equals(ns)) {
                lines.add("link set dev " + port.iface() + " master " + port.bridge());
            }
        }
        for (Topology.LinkSettings link : topology.links()) {
            if (link.namespace().equals(ns) && link.hasPortFlags()) {
                lines.add("link set dev " + link.iface() + " type bridge_slave"
                        + (link.hairpin() == null ? "" : " hairpin " + onOff(link.hairpin()))
                        + (link.isolated() == null ? "" : " isolated " + onOff(link.isolated()))
                        + (link.learning() == null ? "" : " learning " + onOff(link.learning()))
                        + (link.flood() == null ? "" : " flood " + onOff(link.flood())));
            }
        }
    }

    /** {@code link add} for a VXLAN device; {@code intoNamespace} creates it there from the root namespace. */
    private static String vxlanLine(Topology.VxlanSpec vxlan, String intoNamespace) {
        StringBuilder line = new StringBuilder("link add name " + vxlan.name()
                + (intoNamespace == null ? "" : " netns " + intoNamespace) + " type vxlan id " + vxlan.vni()
                + " dstport " + vxlan.port());
        // ip link add sends to a remote on the device's own port; one on another port is an FDB entry.
        if (!vxlan.remotes().isEmpty() && !vxlan.sendsToOtherPort()) {
            line.append(" remote ").append(vxlan.remotes().get(0));
        }
        if (vxlan.local() != null) {
            line.append(" local ").append(vxlan.local());
        }
        if (vxlan.dev() != null) {
            line.append(" dev ").append(vxlan.dev());
        }
        if (!vxlan.learning()) {
            line.append(" nolearning");
        }
        return line.toString();
    }

    /** {@code link add} for a macvlan, ipvlan, VLAN or VRF device; {@code intoNamespace} creates it there from its parent's namespace. */
    private static String stackedDevice(Topology.DeviceSpec device, String intoNamespace) {
        String into = intoNamespace == null ? "" : " netns " + intoNamespace;
        return switch (device.kind()) {
            case VRF -> "link add name " + device.name() + " type vrf table " + device.number();
            case VLAN ->
                "link add link " + device.parent() + " name " + device.name() + into + " type vlan id "
                        + device.number();
            case MACVLAN, IPVLAN ->
                "link add link " + device.parent() + " name " + device.name() + into + " type "
                        + device.kind().type() + " mode " + device.mode();
        };
    }

    private static String addressLine(Topology.AddressSpec address) {
        return "addr add " + address.cidr() + " dev " + address.iface()
                + (address.cidr().address().isIpv6() && !address.dad() ? " nodad" : "")
                + (address.noPrefixRoute() ? " noprefixroute" : "");
    }

    /**
     * The interfaces of {@code ns} that get {@code addrgenmode none} and a fixed link-local address:
     * those with an IPv6 address added {@code nodad}, unless one of their addresses runs DAD.
     */
    private static Set<String> fixedLinkLocal(Topology topology, String ns) {
        Set<String> result = new LinkedHashSet<>();
        Set<String> withDad = new LinkedHashSet<>();
        for (Topology.AddressSpec address : topology.addresses()) {
            if (address.namespace().equals(ns) && address.cidr().address().isIpv6()) {
                (address.dad() ? withDad : result).add(address.iface());
            }
        }
        result.removeAll(withDad);
        return result;
    }

    /**
     * A link-local address for {@code ns}'s {@code iface} that is the same in every build: {@code fe80::}
     * followed by 64 bits of a hash of the two logical names, which differ between any two
     * interfaces of one lab.
     */
    static String linkLocal(String ns, String iface) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest((ns + ":" + iface).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        StringBuilder text = new StringBuilder("fe80:");
        for (int i = 0; i < 8; i += 2) {
            text.append(':').append(Integer.toHexString(((hash[i] & 0xff) << 8) | (hash[i + 1] & 0xff)));
        }
        return text.toString();
    }

    static String routeLine(Topology.RouteSpec route) {
        StringBuilder line = new StringBuilder("route add ");
        if (route.refuses()) {
            line.append(route.type().keyword()).append(' ');
        }
        // "default" alone is IPv4's; an IPv6 default without a gateway to tell the family is written out.
        line.append(
                route.destination().isDefault() && route.destination().address().isIpv6() && route.via() == null
                        ? "::/0"
                        : route.destination().toRouteString());
        if (route.via() != null) {
            // An IPv4 route via an IPv6 next hop (RFC 5549) must say so, or ip reads the gateway as IPv4.
            line.append(" via ")
                    .append(
                            route.via().isIpv6()
                                            && !route.destination().address().isIpv6()
                                    ? "inet6 "
                                    : "")
                    .append(route.via());
        }
        if (route.dev() != null) {
            line.append(" dev ").append(route.dev());
        }
        if (route.onLink()) {
            line.append(" onlink");
        }
        if (route.scope() != null) {
            line.append(" scope ").append(route.scope());
        }
        if (route.src() != null) {
            line.append(" src ").append(route.src());
        }
        if (route.metric() >= 0) {
            line.append(" metric ").append(route.metric());
        }
        if (route.table() != 0) {
            line.append(" table ").append(route.table());
        }
        if (route.mtu() != 0) {
            line.append(" mtu ").append(route.mtu());
        }
        return line.toString();
    }

    static String ruleLine(Topology.RuleSpec rule) {
        return "rule add" + (rule.priority() >= 0 ? " priority " + rule.priority() : "")
                + " from " + (rule.from() == null ? "all" : rule.from().toRouteString())
                + (rule.to() == null ? "" : " to " + rule.to().toRouteString()) + " table " + rule.table();
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    /**
     * What to tell the user when batch line {@code line} failed, or {@code null}: a link type this
     * kernel may lack is named, with what to do instead.
     */
    public static String hint(String line) {
        if (line == null || !line.startsWith("link add ")) {
            return null;
        }
        for (String[] type : new String[][] {
            {"ipvlan", "CONFIG_IPVLAN"},
            {"vlan", "CONFIG_VLAN_8021Q"},
            {"vrf", "CONFIG_NET_VRF"},
            {"macvlan", "CONFIG_MACVLAN"},
            {"vxlan", "CONFIG_VXLAN"}
        }) {
            if (line.contains(" type " + type[0] + " ") || line.endsWith(" type " + type[0])) {
                return String.format(LINK_TYPE_HINT, type[0], type[1], type[0]);
            }
        }
        return null;
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
