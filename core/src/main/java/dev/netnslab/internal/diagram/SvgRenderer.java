package dev.netnslab.internal.diagram;

import static dev.netnslab.internal.diagram.SvgLayout.LINE_HEIGHT;
import static dev.netnslab.internal.diagram.SvgLayout.MARGIN;
import static dev.netnslab.internal.diagram.SvgLayout.PADDING;

import dev.netnslab.internal.diagram.SvgLayout.Box;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link Graph} as a standalone SVG, placed by {@link SvgLayout}. Namespaces are boxes (the
 * host's dashed), bridges hexagons, VXLAN devices rounded boxes. Cables run from side to side,
 * level under the labels at each end (interface name above, addresses below); a device sits on a
 * thick grey line to its namespace; the overlay is a dashed line (an arc within one column)
 * labelled with its VNI.
 */
final class SvgRenderer {

    private static final String OVERLAY_COLOUR = "#a0306a";
    /** How far a bridge's hexagon slants in at its left and right corners. */
    private static final int SLANT = PADDING + 4;

    private SvgRenderer() {}

    static String render(Graph graph) {
        Map<String, Box> boxes = SvgLayout.layout(graph);
        int lastColumn = boxes.values().stream().mapToInt(Box::column).max().orElse(0);
        // Arcs bulge to the right of their column; the layout leaves room after the other columns.
        int arcRoom =
                SvgLayout.arcRoom(SvgLayout.arcs(graph, id -> boxes.get(id).column(), lastColumn));
        int width =
                boxes.values().stream().mapToInt(b -> b.x() + b.width()).max().orElse(0) + MARGIN + arcRoom;
        int height =
                boxes.values().stream().mapToInt(b -> b.y() + b.height()).max().orElse(0) + MARGIN;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" font-family=\"monospace\" font-size=\"12\">\n");
        svg.append("  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        Map<Graph.Link, double[]> ports = ports(graph, boxes);
        for (Graph.Link link : graph.links()) {
            Box from = boxes.get(link.from());
            Box to = boxes.get(link.to());
            if (from.column() == to.column()) {
                List<Graph.Link> arcs =
                        SvgLayout.arcs(graph, id -> boxes.get(id).column(), from.column());
                drawArc(svg, ports.get(link), SvgLayout.arcBulge(arcs.indexOf(link)), link);
            } else {
                drawLine(svg, ports.get(link), link);
            }
        }
        for (Box box : boxes.values()) {
            drawBox(svg, box);
        }
        return svg.append("</svg>\n").toString();
    }

    private static void drawBox(StringBuilder svg, Box box) {
        Graph.Node node = box.node();
        svg.append("  <g id=\"").append(node.id()).append("\">\n");
        switch (node.kind()) {
            case BRIDGE -> {
                int slant = SLANT;
                int x = box.x();
                int y = box.y();
                int r = box.x() + box.width();
                int b = box.y() + box.height();
                svg.append("    <polygon points=\"")
                        .append(x + slant)
                        .append(',')
                        .append(y)
                        .append(' ')
                        .append(r - slant)
                        .append(',')
                        .append(y)
                        .append(' ')
                        .append(r)
                        .append(',')
                        .append(num(box.cy()))
                        .append(' ')
                        .append(r - slant)
                        .append(',')
                        .append(b)
                        .append(' ')
                        .append(x + slant)
                        .append(',')
                        .append(b)
                        .append(' ')
                        .append(x)
                        .append(',')
                        .append(num(box.cy()))
                        .append("\" fill=\"#fdf3e1\" stroke=\"#a06a14\" stroke-width=\"1.5\"/>\n");
            }
            case VXLAN -> rect(svg, box, 16, "#f6eaf1", OVERLAY_COLOUR, "");
            case HOST -> rect(svg, box, 6, "#eef3f8", "#36587a", " stroke-dasharray=\"6 3\"");
            default -> rect(svg, box, 6, "#f4f8ee", "#4f7a36", "");
        }
        int textX = box.x() + PADDING + (node.kind() == Graph.Kind.BRIDGE ? SLANT : 0);
        // Boxes made taller for their lines keep their text in the middle.
        int textHeight = (1 + node.notes().size()) * LINE_HEIGHT + 2 * PADDING;
        int textY = box.y() + (box.height() - textHeight) / 2 + PADDING + 12;
        svg.append("    <text x=\"")
                .append(textX)
                .append("\" y=\"")
                .append(textY)
                .append("\" font-weight=\"bold\">")
                .append(escape(SvgLayout.title(node)))
                .append("</text>\n");
        for (String note : node.notes()) {
            textY += LINE_HEIGHT;
            svg.append("    <text x=\"")
                    .append(textX)
                    .append("\" y=\"")
                    .append(textY)
                    .append("\" fill=\"#444\">")
                    .append(escape(note))
                    .append("</text>\n");
        }
        svg.append("  </g>\n");
    }

    private static void rect(StringBuilder svg, Box box, int radius, String fill, String stroke, String extra) {
        svg.append("    <rect x=\"")
                .append(box.x())
                .append("\" y=\"")
                .append(box.y())
                .append("\" width=\"")
                .append(box.width())
                .append("\" height=\"")
                .append(box.height())
                .append("\" rx=\"")
                .append(radius)
                .append("\" fill=\"")
                .append(fill)
                .append("\" stroke=\"")
                .append(stroke)
                .append("\" stroke-width=\"1.5\"")
                .append(extra)
                .append("/>\n");
    }

    /**
     * Where each line between columns leaves and enters its boxes: on the facing sides, spread
     * {@link SvgLayout#PORT_GAP} apart in the order of the boxes at the other ends, so lines do not
     * cross at a box and each end label has a slot of its own. Returns x1, y1, x2, y2 per link.
     */
    private static Map<Graph.Link, double[]> ports(Graph graph, Map<String, Box> boxes) {
        Map<String, List<Graph.Link>> sides = new LinkedHashMap<>();
        for (Graph.Link link : graph.links()) {
            Box from = boxes.get(link.from());
            Box to = boxes.get(link.to());
            // An arc leaves and enters its column on the right.
            sides.computeIfAbsent(side(from, to), k -> new ArrayList<>()).add(link);
            sides.computeIfAbsent(side(to, from), k -> new ArrayList<>()).add(link);
        }
        // By identity: two links may be equal as values (say, two unlabelled cables between the same boxes).
        Map<Graph.Link, double[]> ends = new IdentityHashMap<>();
        for (Map.Entry<String, List<Graph.Link>> entry : sides.entrySet()) {
            String id = entry.getKey().substring(0, entry.getKey().indexOf(':'));
            Box box = boxes.get(id);
            List<Graph.Link> links = new ArrayList<>(entry.getValue());
            links.sort(Comparator.comparingDouble(
                    l -> boxes.get(l.from().equals(id) ? l.to() : l.from()).cy()));
            boolean right = entry.getKey().endsWith(":right");
            for (int i = 0; i < links.size(); i++) {
                Graph.Link link = links.get(i);
                double y = box.cy() + (i - (links.size() - 1) / 2.0) * SvgLayout.PORT_GAP;
                double x = edge(box, y, right);
                double[] end = ends.computeIfAbsent(link, k -> new double[4]);
                int offset = link.from().equals(id) ? 0 : 2;
                end[offset] = x;
                end[offset + 1] = y;
            }
        }
        return ends;
    }

    private static String side(Box box, Box other) {
        return box.node().id() + (other.column() >= box.column() ? ":right" : ":left");
    }

    /** The x where a horizontal line at {@code y} meets the box's left or right outline (a hexagon's is slanted). */
    private static double edge(Box box, double y, boolean right) {
        double inset = 0;
        if (box.node().kind() == Graph.Kind.BRIDGE) {
            inset = SLANT * Math.abs(y - box.cy()) / (box.height() / 2.0);
        }
        return right ? box.x() + box.width() - inset : box.x() + inset;
    }

    /**
     * A line from port to port: level for as long as the end labels are wide, so that each label
     * sits above (name) and below (addresses) a level stretch of its own line, and slanted between.
     */
    private static void drawLine(StringBuilder svg, double[] ends, Graph.Link link) {
        double x1 = ends[0];
        double y1 = ends[1];
        double x2 = ends[2];
        double y2 = ends[3];
        double direction = Math.signum(x2 - x1);
        if (link.style() == Graph.Style.OVERLAY) {
            svg.append("  <line x1=\"")
                    .append(num(x1))
                    .append("\" y1=\"")
                    .append(num(y1))
                    .append("\" x2=\"")
                    .append(num(x2))
                    .append("\" y2=\"")
                    .append(num(y2))
                    .append('"')
                    .append(stroke(link.style()))
                    .append("/>\n");
            text(
                    svg,
                    (x1 + x2) / 2,
                    (y1 + y2) / 2 - 6,
                    "middle",
                    OVERLAY_COLOUR,
                    link.fromLabel().get(0));
            return;
        }
        double stub1 = direction * SvgLayout.labelWidth(link.fromLabel());
        double stub2 = direction * SvgLayout.labelWidth(link.toLabel());
        svg.append("  <polyline points=\"")
                .append(num(x1))
                .append(',')
                .append(num(y1))
                .append(' ')
                .append(num(x1 + stub1))
                .append(',')
                .append(num(y1))
                .append(' ')
                .append(num(x2 - stub2))
                .append(',')
                .append(num(y2))
                .append(' ')
                .append(num(x2))
                .append(',')
                .append(num(y2))
                .append("\" fill=\"none\"")
                .append(stroke(link.style()))
                .append("/>\n");
        endLabel(svg, x1 + direction * 4, y1, direction > 0 ? "start" : "end", link.fromLabel());
        endLabel(svg, x2 - direction * 4, y2, direction > 0 ? "end" : "start", link.toLabel());
    }

    /** A link between two boxes of one column: a curve out to the right, so it passes no box between them. */
    private static void drawArc(StringBuilder svg, double[] ends, int bulge, Graph.Link link) {
        double x1 = ends[0];
        double y1 = ends[1];
        double x2 = ends[2];
        double y2 = ends[3];
        double control = Math.max(x1, x2) + bulge;
        svg.append("  <path d=\"M ")
                .append(num(x1))
                .append(' ')
                .append(num(y1))
                .append(" C ")
                .append(num(control))
                .append(' ')
                .append(num(y1))
                .append(' ')
                .append(num(control))
                .append(' ')
                .append(num(y2))
                .append(' ')
                .append(num(x2))
                .append(' ')
                .append(num(y2))
                .append("\" fill=\"none\"")
                .append(stroke(link.style()))
                .append("/>\n");
        String label = SvgLayout.arcLabel(link);
        if (!label.isEmpty()) {
            // The curve's rightmost point is three quarters of the way out to its control points.
            double apex = Math.max(x1, x2) + bulge * 0.75;
            text(
                    svg,
                    apex + 6,
                    (y1 + y2) / 2 + 4,
                    "start",
                    link.style() == Graph.Style.OVERLAY ? OVERLAY_COLOUR : "#333",
                    label);
        }
    }

    private static String stroke(Graph.Style style) {
        return switch (style) {
            case DEVICE -> " stroke=\"#999\" stroke-width=\"5\"";
            case OVERLAY -> " stroke=\"" + OVERLAY_COLOUR + "\" stroke-width=\"2\" stroke-dasharray=\"6 4\"";
            case CABLE -> " stroke=\"#333\" stroke-width=\"2\"";
        };
    }

    /** The interface name above the line at ({@code x}, {@code y}), its addresses below. */
    private static void endLabel(StringBuilder svg, double x, double y, String anchor, List<String> label) {
        for (int i = 0; i < label.size(); i++) {
            double lineY = i == 0 ? y - 5 : y + 2 + i * 14;
            svg.append("  <text x=\"")
                    .append(num(x))
                    .append("\" y=\"")
                    .append(num(lineY))
                    .append("\" text-anchor=\"")
                    .append(anchor)
                    .append('"')
                    .append(i == 0 ? " font-weight=\"bold\"" : "")
                    .append('>')
                    .append(escape(label.get(i)))
                    .append("</text>\n");
        }
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String colour, String text) {
        svg.append("  <text x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" text-anchor=\"")
                .append(anchor)
                .append("\" fill=\"")
                .append(colour)
                .append("\">")
                .append(escape(text))
                .append("</text>\n");
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
