package dev.netnslab.internal.diagram;

import dev.netnslab.internal.topology.IpCidr;
import dev.netnslab.internal.topology.Names;
import dev.netnslab.internal.topology.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a diagram shows, independent of how it is drawn: boxes ({@link Node}) and the lines between
 * them ({@link Link}). {@link #of(Topology)} is the only place that knows the topology records, so a
 * new element kind is one more {@link Kind} and a few lines here; the Mermaid and SVG renderers draw
 * whatever nodes and links they are given.
 *
 * <p>Devices that join namespaces (bridges, VXLAN devices) are nodes of their own, because a line
 * between two namespaces would hide what the packets cross: {@code c1 — br0 — node1}, not
 * {@code c1 — node1}. Order is the topology's order throughout, so the output is deterministic.
 */
record Graph(List<Node> nodes, List<Link> links) {

    Graph {
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
    }

    /** What a node stands for; each renderer picks a shape per kind. */
    enum Kind {
        /** The lab's host-side sandbox namespace. */
        HOST,
        /** A user namespace. */
        NAMESPACE,
        /** A Linux bridge inside a namespace. */
        BRIDGE,
        /** A VXLAN device inside a namespace. */
        VXLAN
    }

    /** How a line is drawn: what it means to the reader. */
    enum Style {
        /** A cable: a veth pair, or a port of a bridge. */
        CABLE,
        /** A device that lives in the namespace at the other end (a bridge, a VXLAN device). */
        DEVICE,
        /** The overlay: two VXLAN devices with the same VNI, carried over the underlay. */
        OVERLAY
    }

    /**
     * A box.
     *
     * @param id    a stable identifier made of {@code [a-z0-9]}, safe in every output format
     * @param title the element's logical name
     * @param notes extra lines shown in the box: routes, settings, addresses not on a cable
     */
    record Node(String id, String title, Kind kind, List<String> notes) {
        Node {
            notes = List.copyOf(notes);
        }
    }

    /**
     * A line between two nodes; each end has its own label (interface name, then its addresses),
     * except overlay lines, whose label is {@code fromLabel} alone (the VNI).
     */
    record Link(String from, List<String> fromLabel, String to, List<String> toLabel, Style style) {
        Link {
            fromLabel = List.copyOf(fromLabel);
            toLabel = List.copyOf(toLabel);
        }
    }

    /** Each namespace's node id, {@code host} first: {@code n0}, {@code n1}...; its devices' ids extend it. */
    static Map<String, String> namespaceIds(Topology topology) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String ns : topology.allNamespaces()) {
            ids.put(ns, "n" + ids.size());
        }
        return ids;
    }

    /** The namespace id a node id belongs to: {@code n2} for {@code n2}, {@code n2b0} and {@code n2v1}. */
    static String namespaceIdOf(String nodeId) {
        int end = 1;
        while (end < nodeId.length() && Character.isDigit(nodeId.charAt(end))) {
            end++;
        }
        return nodeId.substring(0, end);
    }

    static Graph of(Topology topology) {
        return of(topology, Map.of());
    }

    /** With {@code extraNotes} per namespace added to its box, e.g. the faults a running lab has. */
    static Graph of(Topology topology, Map<String, List<String>> extraNotes) {
        Map<String, String> ids = namespaceIds(topology);
        // Device ids extend their namespace's id, so they stay stable when other namespaces change.
        Map<Topology.End, String> devices = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        for (Map.Entry<String, String> entry : ids.entrySet()) {
            String ns = entry.getKey();
            nodes.add(new Node(
                    entry.getValue(),
                    ns,
                    ns.equals(Names.HOST) ? Kind.HOST : Kind.NAMESPACE,
                    withExtra(namespaceNotes(topology, ns), extraNotes.getOrDefault(ns, List.of()))));
            int bridgeCount = 0;
            for (Topology.BridgeSpec bridge : topology.bridges()) {
                if (bridge.namespace().equals(ns)) {
                    Topology.End end = new Topology.End(ns, bridge.name());
                    String id = entry.getValue() + "b" + bridgeCount++;
                    devices.put(end, id);
                    nodes.add(new Node(id, bridge.name(), Kind.BRIDGE, addresses(topology, end)));
                    links.add(new Link(entry.getValue(), List.of(), id, List.of(), Style.DEVICE));
                }
            }
            int vxlanCount = 0;
            for (Topology.VxlanSpec vxlan : topology.vxlans()) {
                if (vxlan.namespace().equals(ns)) {
                    Topology.End end = new Topology.End(ns, vxlan.name());
                    String id = entry.getValue() + "v" + vxlanCount++;
                    devices.put(end, id);
                    List<String> notes = new ArrayList<>();
                    notes.add("VNI " + vxlan.vni()
                            + (vxlan.dev() == null ? " over the kernel's underlay" : " dev " + vxlan.dev()));
                    List<String> options = new ArrayList<>();
                    if (!vxlan.remotes().isEmpty()) {
                        options.add("to "
                                + vxlan.remotes().stream().map(Object::toString).collect(Collectors.joining(", ")));
                    }
                    if (vxlan.port() != 4789) {
                        options.add("port " + vxlan.port());
                    }
                    if (!vxlan.learning()) {
                        options.add("nolearning");
                    }
                    if (vxlan.local() != null) {
                        options.add("local " + vxlan.local());
                    }
                    if (!options.isEmpty()) {
                        notes.add(String.join(" ", options));
                    }
                    notes.addAll(forwardingEntries(topology, end));
                    notes.addAll(addresses(topology, end));
                    nodes.add(new Node(id, vxlan.name(), Kind.VXLAN, notes));
                    // A VXLAN port of a bridge hangs off the bridge instead (below).
                    if (bridgeOf(topology, end) == null) {
                        links.add(new Link(entry.getValue(), List.of(), id, List.of(), Style.DEVICE));
                    }
                }
            }
        }
        for (Topology.Veth veth : topology.veths()) {
            Topology.End a = veth.a();
            Topology.End b = veth.b();
            // The bridge side goes first, so layered layouts put a bridge before what hangs off it.
            if (bridgeOf(topology, a) == null && bridgeOf(topology, b) != null) {
                a = veth.b();
                b = veth.a();
            }
            links.add(new Link(
                    endpoint(topology, ids, devices, a),
                    endLabel(topology, a),
                    endpoint(topology, ids, devices, b),
                    endLabel(topology, b),
                    Style.CABLE));
        }
        for (Topology.DeviceSpec device : topology.devices()) {
            if (device.parentNamespace() != null && !device.parentNamespace().equals(device.namespace())) {
                Topology.End parent = new Topology.End(device.parentNamespace(), device.parent());
                Topology.End end = new Topology.End(device.namespace(), device.name());
                List<String> label = endLabel(topology, end);
                label.set(
                        0,
                        device.name() + " (" + device.kind() + (device.mode() == null ? "" : " " + device.mode())
                                + ")");
                links.add(new Link(
                        endpoint(topology, ids, devices, parent),
                        List.of("on " + device.parent()),
                        ids.get(device.namespace()),
                        label,
                        Style.CABLE));
            }
        }
        for (Topology.PortSpec port : topology.ports()) {
            Topology.End end = new Topology.End(port.namespace(), port.iface());
            String device = devices.get(end);
            if (device != null) {
                links.add(new Link(
                        devices.get(new Topology.End(port.namespace(), port.bridge())),
                        List.of(),
                        device,
                        List.of(),
                        Style.CABLE));
            }
        }
        links.addAll(overlay(topology, devices));
        return new Graph(nodes, links);
    }

    /**
     * The lines inside a namespace's box: addresses that no cable or device shows, routes, then
     * settings worth knowing when reading the picture.
     */
    private static List<String> withExtra(List<String> notes, List<String> extra) {
        List<String> all = new ArrayList<>(notes);
        all.addAll(extra);
        return all;
    }

    private static List<String> namespaceNotes(Topology topology, String ns) {
        List<Topology.End> shown = new ArrayList<>();
        topology.veths().forEach(v -> {
            shown.add(v.a());
            shown.add(v.b());
        });
        topology.bridges().forEach(b -> shown.add(new Topology.End(b.namespace(), b.name())));
        topology.vxlans().forEach(v -> shown.add(new Topology.End(v.namespace(), v.name())));
        topology.devices().stream()
                .filter(d -> d.parentNamespace() != null && !d.parentNamespace().equals(d.namespace()))
                .forEach(d -> shown.add(new Topology.End(d.namespace(), d.name())));
        List<String> notes = new ArrayList<>();
        for (Topology.DeviceSpec device : topology.devices()) {
            if (device.namespace().equals(ns) && !shown.contains(new Topology.End(ns, device.name()))) {
                notes.add(device.name() + ": " + device.kind()
                        + switch (device.kind()) {
                            case VRF -> " table " + device.number();
                            case VLAN -> " " + device.number() + " on " + device.parent();
                            default -> " " + device.mode() + " on " + device.parent();
                        });
            }
        }
        for (Topology.AddressSpec address : topology.addresses()) {
            if (address.namespace().equals(ns) && !shown.contains(new Topology.End(ns, address.iface()))) {
                notes.add(address.iface() + " " + address.cidr());
            }
        }
        topology.routes().stream()
                .filter(r -> r.namespace().equals(ns))
                .map(Graph::describe)
                .forEach(notes::add);
        topology.rules().stream()
                .filter(r -> r.namespace().equals(ns))
                .map(r -> "rule " + (r.priority() < 0 ? "" : r.priority() + ": ") + "from "
                        + (r.from() == null ? "all" : r.from().toRouteString())
                        + (r.to() == null ? "" : " to " + r.to().toRouteString()) + " lookup " + r.table())
                .forEach(notes::add);
        // Entries of a VXLAN device are drawn in its own box; the others here.
        topology.neighbours().stream()
                .filter(n -> n.namespace().equals(ns) && !isVxlan(topology, n.namespace(), n.iface()))
                .map(n -> "neigh " + n.ip() + " lladdr " + n.mac() + " dev " + n.iface())
                .forEach(notes::add);
        topology.fdbs().stream()
                .filter(f -> f.namespace().equals(ns) && !isVxlan(topology, f.namespace(), f.iface()))
                .map(f -> "fdb " + f.mac() + " dev " + f.iface() + (f.dst() == null ? "" : " dst " + f.dst()))
                .forEach(notes::add);
        notes.addAll(SettingNotes.of(topology, ns));
        return notes;
    }

    /**
     * Dotted lines between VXLAN devices with the same VNI and UDP port: the segments the overlay
     * stretches across namespaces. Devices that differ in VNI get no line, which is the picture of
     * a misconfigured overlay.
     */
    private static List<Link> overlay(Topology topology, Map<Topology.End, String> devices) {
        List<Link> links = new ArrayList<>();
        List<Topology.VxlanSpec> vxlans = topology.vxlans();
        for (int i = 0; i < vxlans.size(); i++) {
            for (int j = i + 1; j < vxlans.size(); j++) {
                Topology.VxlanSpec x = vxlans.get(i);
                Topology.VxlanSpec y = vxlans.get(j);
                if (x.vni() == y.vni() && x.port() == y.port()) {
                    links.add(new Link(
                            devices.get(new Topology.End(x.namespace(), x.name())),
                            List.of("VNI " + x.vni()),
                            devices.get(new Topology.End(y.namespace(), y.name())),
                            List.of(),
                            Style.OVERLAY));
                }
            }
        }
        return links;
    }

    private static boolean isVxlan(Topology topology, String ns, String iface) {
        return topology.vxlans().stream()
                .anyMatch(v -> v.namespace().equals(ns) && v.name().equals(iface));
    }

    /** A VXLAN device's static neighbours and FDB entries, for its box. */
    private static List<String> forwardingEntries(Topology topology, Topology.End end) {
        List<String> notes = new ArrayList<>();
        topology.neighbours().stream()
                .filter(n -> n.namespace().equals(end.namespace()) && n.iface().equals(end.iface()))
                .map(n -> "neigh " + n.ip() + " " + n.mac())
                .forEach(notes::add);
        topology.fdbs().stream()
                .filter(f -> f.namespace().equals(end.namespace()) && f.iface().equals(end.iface()))
                .map(f -> "fdb " + f.mac() + " dst " + f.dst())
                .forEach(notes::add);
        return notes;
    }

    /** The bridge {@code end} is a port of, or {@code null}. */
    private static String bridgeOf(Topology topology, Topology.End end) {
        return topology.ports().stream()
                .filter(p -> p.namespace().equals(end.namespace()) && p.iface().equals(end.iface()))
                .map(Topology.PortSpec::bridge)
                .findFirst()
                .orElse(null);
    }

    /** Where a cable ends in the picture: at the bridge when the interface is one of its ports, else at the namespace. */
    private static String endpoint(
            Topology topology, Map<String, String> ids, Map<Topology.End, String> devices, Topology.End end) {
        String bridge = bridgeOf(topology, end);
        if (bridge != null) {
            return devices.get(new Topology.End(end.namespace(), bridge));
        }
        return ids.get(end.namespace());
    }

    private static List<String> addresses(Topology topology, Topology.End end) {
        return topology.addresses().stream()
                .filter(a -> a.namespace().equals(end.namespace()) && a.iface().equals(end.iface()))
                .map(a -> a.cidr().toString())
                .collect(Collectors.toList());
    }

    private static List<String> endLabel(Topology topology, Topology.End end) {
        List<String> label = new ArrayList<>();
        label.add(end.iface());
        label.addAll(addresses(topology, end));
        return label;
    }

    private static String describe(Topology.RouteSpec route) {
        IpCidr destination = route.destination();
        StringBuilder text = new StringBuilder(route.refuses() ? route.type().keyword() + " " : "");
        text.append(
                destination.prefix() == 0
                        ? "default" + (destination.address().isIpv6() && route.via() == null ? " (IPv6)" : "")
                        : destination.toString());
        if (route.via() != null) {
            text.append(" via ").append(route.via());
        }
        if (route.dev() != null) {
            text.append(" dev ").append(route.dev());
        }
        if (route.onLink()) {
            text.append(" onlink");
        }
        if (route.scope() != null) {
            text.append(" scope ").append(route.scope());
        }
        if (route.src() != null) {
            text.append(" src ").append(route.src());
        }
        if (route.metric() >= 0) {
            text.append(" metric ").append(route.metric());
        }
        if (route.table() != 0) {
            text.append(" table ").append(route.table());
        }
        if (route.mtu() != 0) {
            text.append(" mtu ").append(route.mtu());
        }
        return text.toString();
    }
}
