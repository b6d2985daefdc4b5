package dev.netnslab.diagram;

import dev.netnslab.topology.Ipv4Cidr;
import dev.netnslab.topology.Names;
import dev.netnslab.topology.Topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a diagram shows, independent of how it is drawn: boxes ({@link Node}) and the lines between
 * them ({@link Link}). {@link #of(Topology)} is the only place that knows the topology records, so a
 * new element kind (a bridge, a VXLAN tunnel) is one more {@link Kind} and a few lines here; the
 * Mermaid and SVG renderers draw whatever nodes and links they are given.
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
        NAMESPACE
    }

    /**
     * A box.
     *
     * @param id    a stable identifier made of {@code [a-z0-9]}, safe in every output format
     * @param title the element's logical name
     * @param notes extra lines shown in the box: routes, addresses not on a link
     */
    record Node(String id, String title, Kind kind, List<String> notes) {
        Node {
            notes = List.copyOf(notes);
        }
    }

    /**
     * A line between two nodes; each end has its own label (interface name, then its addresses).
     */
    record Link(String from, List<String> fromLabel, String to, List<String> toLabel) {
        Link {
            fromLabel = List.copyOf(fromLabel);
            toLabel = List.copyOf(toLabel);
        }
    }

    static Graph of(Topology topology) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String ns : topology.allNamespaces()) {
            ids.put(ns, "n" + ids.size());
        }
        List<Link> links = new ArrayList<>();
        List<Topology.End> linked = new ArrayList<>();
        for (Topology.Veth veth : topology.veths()) {
            links.add(new Link(ids.get(veth.a().namespace()), endLabel(topology, veth.a()),
                    ids.get(veth.b().namespace()), endLabel(topology, veth.b())));
            linked.add(veth.a());
            linked.add(veth.b());
        }
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<String, String> entry : ids.entrySet()) {
            String ns = entry.getKey();
            List<String> notes = new ArrayList<>();
            for (Topology.AddressSpec address : topology.addresses()) {
                if (address.namespace().equals(ns) && !linked.contains(new Topology.End(ns, address.iface()))) {
                    notes.add(address.iface() + " " + address.cidr());
                }
            }
            for (Topology.RouteSpec route : topology.routes()) {
                if (route.namespace().equals(ns)) {
                    notes.add(describe(route));
                }
            }
            Kind kind = ns.equals(Names.HOST) ? Kind.HOST : Kind.NAMESPACE;
            nodes.add(new Node(entry.getValue(), ns, kind, notes));
        }
        return new Graph(nodes, links);
    }

    private static List<String> endLabel(Topology topology, Topology.End end) {
        List<String> label = new ArrayList<>();
        label.add(end.iface());
        label.addAll(topology.addresses().stream()
                .filter(a -> a.namespace().equals(end.namespace()) && a.iface().equals(end.iface()))
                .map(a -> a.cidr().toString()).collect(Collectors.toList()));
        return label;
    }

    private static String describe(Topology.RouteSpec route) {
        Ipv4Cidr destination = route.destination();
        StringBuilder text = new StringBuilder(destination.prefix() == 0 ? "default" : destination.toString());
        if (route.via() != null) {
            text.append(" via ").append(route.via());
        }
        if (route.dev() != null) {
            text.append(" dev ").append(route.dev());
        }
        return text.toString();
    }
}
