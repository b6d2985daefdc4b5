package dev.netnslab.internal.diagram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Draws a {@link Graph} as a Mermaid flowchart, the text GitHub and most doc sites render inline. */
final class MermaidRenderer {

    private MermaidRenderer() {}

    static String render(Graph graph) {
        return render(graph, Map.of());
    }

    /**
     * With the nodes of some namespaces drawn inside a group each: {@code groups} maps a namespace's
     * node id to its group's name (a kernel), and the nodes of the others stay outside any group.
     */
    static String render(Graph graph, Map<String, String> groups) {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        Map<String, List<Graph.Node>> grouped = new LinkedHashMap<>();
        for (Graph.Node node : graph.nodes()) {
            String group = groups.get(Graph.namespaceIdOf(node.id()));
            if (group == null) {
                node(out, "    ", node);
            } else {
                grouped.computeIfAbsent(group, g -> new ArrayList<>()).add(node);
            }
        }
        int count = 0;
        for (Map.Entry<String, List<Graph.Node>> group : grouped.entrySet()) {
            out.append("    subgraph kernel")
                    .append(count++)
                    .append("[\"kernel ")
                    .append(escape(group.getKey()))
                    .append("\"]\n");
            group.getValue().forEach(node -> node(out, "        ", node));
            out.append("    end\n");
        }
        for (Graph.Link link : graph.links()) {
            out.append("    ")
                    .append(link.from())
                    .append(' ')
                    .append(line(link))
                    .append(' ')
                    .append(link.to())
                    .append('\n');
        }
        return out.toString();
    }

    private static void node(StringBuilder out, String indent, Graph.Node node) {
        String label = bold(node.title())
                + (node.kind() == Graph.Kind.HOST ? " (lab sandbox)" : "")
                + node.notes().stream().map(n -> "<br/>" + escape(n)).reduce("", String::concat);
        out.append(indent).append(node.id()).append(shape(node.kind(), label)).append('\n');
    }

    /**
     * A cable is a plain line labelled with both ends; a device sits on a thick line to its
     * namespace (it is part of it, not a cable); the overlay is dotted, labelled with its VNI.
     */
    private static String line(Graph.Link link) {
        switch (link.style()) {
            case DEVICE:
                return "===";
            case OVERLAY:
                return "-.-|\"" + end(link.fromLabel()) + "\"|";
            case CABLE:
            default:
                if (link.fromLabel().isEmpty() && link.toLabel().isEmpty()) {
                    return "---";
                }
                return "---|\"" + end(link.fromLabel()) + " — " + end(link.toLabel()) + "\"|";
        }
    }

    /** One shape per kind, so readers tell the sandbox host, namespaces, bridges (hexagons) and VXLAN devices apart at a glance. */
    private static String shape(Graph.Kind kind, String label) {
        switch (kind) {
            case HOST:
                return "[[\"" + label + "\"]]";
            case BRIDGE:
                return "{{\"" + label + "\"}}";
            case VXLAN:
                return "([\"" + label + "\"])";
            case NAMESPACE:
            default:
                return "[\"" + label + "\"]";
        }
    }

    private static String end(List<String> label) {
        return escape(String.join(" ", label));
    }

    private static String bold(String text) {
        return "<b>" + escape(text) + "</b>";
    }

    /** Mermaid has its own entity syntax inside quoted labels; names are validated, this is belt and braces. */
    private static String escape(String text) {
        return text.replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
    }
}
