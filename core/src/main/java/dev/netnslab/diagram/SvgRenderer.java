package dev.netnslab.diagram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link Graph} as a standalone SVG with a layered layout and no external tools: the host
 * in the first column, each other node one column further than its nearest linked neighbour, and
 * nodes stacked within a column. Links are straight lines; each end is labelled next to its box.
 */
final class SvgRenderer {

    private static final int CHAR_WIDTH = 7;
    private static final int LINE_HEIGHT = 16;
    private static final int PADDING = 10;
    private static final int MARGIN = 20;
    /** Room between columns for two end labels such as {@code 10.200.1.254/24}. */
    private static final int COLUMN_GAP = 240;
    private static final int ROW_GAP = 40;

    private SvgRenderer() {
    }

    private record Box(Graph.Node node, int x, int y, int width, int height) {
        double cx() {
            return x + width / 2.0;
        }

        double cy() {
            return y + height / 2.0;
        }
    }

    static String render(Graph graph) {
        Map<String, Box> boxes = layout(graph);
        int width = boxes.values().stream().mapToInt(b -> b.x() + b.width()).max().orElse(0) + MARGIN;
        int height = boxes.values().stream().mapToInt(b -> b.y() + b.height()).max().orElse(0) + MARGIN;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"monospace\" font-size=\"12\">\n");
        svg.append("  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (Graph.Link link : graph.links()) {
            drawLink(svg, boxes.get(link.from()), boxes.get(link.to()), link);
        }
        for (Box box : boxes.values()) {
            drawBox(svg, box);
        }
        return svg.append("</svg>\n").toString();
    }

    /** Columns by breadth-first distance from the first node; unlinked nodes get the column after the last. */
    private static Map<String, Box> layout(Graph graph) {
        Map<String, Integer> column = new HashMap<>();
        Map<String, List<String>> neighbours = new HashMap<>();
        for (Graph.Link link : graph.links()) {
            neighbours.computeIfAbsent(link.from(), k -> new ArrayList<>()).add(link.to());
            neighbours.computeIfAbsent(link.to(), k -> new ArrayList<>()).add(link.from());
        }
        for (Graph.Node start : graph.nodes()) {
            if (column.containsKey(start.id())) {
                continue;
            }
            int base = column.values().stream().mapToInt(c -> c + 1).max().orElse(0);
            Deque<String> queue = new ArrayDeque<>(List.of(start.id()));
            column.put(start.id(), base);
            while (!queue.isEmpty()) {
                String id = queue.removeFirst();
                for (String next : neighbours.getOrDefault(id, List.of())) {
                    if (!column.containsKey(next)) {
                        column.put(next, column.get(id) + 1);
                        queue.addLast(next);
                    }
                }
            }
        }
        int columns = column.values().stream().mapToInt(c -> c + 1).max().orElse(0);
        int[] columnWidth = new int[columns];
        int[] rowsUsed = new int[columns];
        Map<String, Integer> row = new HashMap<>();
        List<Integer> rowHeight = new ArrayList<>();
        for (Graph.Node node : graph.nodes()) {
            int c = column.get(node.id());
            columnWidth[c] = Math.max(columnWidth[c], boxWidth(node));
            int r = rowsUsed[c]++;
            row.put(node.id(), r);
            if (rowHeight.size() <= r) {
                rowHeight.add(0);
            }
            // Boxes of one row share a height, so a link between neighbours in a row is level.
            rowHeight.set(r, Math.max(rowHeight.get(r), boxHeight(node)));
        }
        Map<String, Box> boxes = new LinkedHashMap<>();
        for (Graph.Node node : graph.nodes()) {
            int c = column.get(node.id());
            int r = row.get(node.id());
            int x = MARGIN;
            for (int i = 0; i < c; i++) {
                x += columnWidth[i] + COLUMN_GAP;
            }
            int y = MARGIN;
            for (int i = 0; i < r; i++) {
                y += rowHeight.get(i) + ROW_GAP;
            }
            boxes.put(node.id(), new Box(node, x, y, columnWidth[c], rowHeight.get(r)));
        }
        return boxes;
    }

    private static int boxWidth(Graph.Node node) {
        int longest = title(node).length();
        for (String note : node.notes()) {
            longest = Math.max(longest, note.length());
        }
        return Math.max(100, longest * CHAR_WIDTH + 2 * PADDING);
    }

    private static int boxHeight(Graph.Node node) {
        return (1 + node.notes().size()) * LINE_HEIGHT + 2 * PADDING;
    }

    private static String title(Graph.Node node) {
        return node.kind() == Graph.Kind.HOST ? node.title() + " (lab sandbox)" : node.title();
    }

    private static void drawBox(StringBuilder svg, Box box) {
        boolean host = box.node().kind() == Graph.Kind.HOST;
        svg.append("  <g id=\"").append(box.node().id()).append("\">\n");
        svg.append("    <rect x=\"").append(box.x()).append("\" y=\"").append(box.y()).append("\" width=\"").append(box.width())
                .append("\" height=\"").append(box.height()).append("\" rx=\"6\" fill=\"").append(host ? "#eef3f8" : "#f4f8ee")
                .append("\" stroke=\"").append(host ? "#36587a" : "#4f7a36").append("\" stroke-width=\"1.5\"")
                .append(host ? " stroke-dasharray=\"6 3\"" : "").append("/>\n");
        int textY = box.y() + PADDING + 12;
        svg.append("    <text x=\"").append(box.x() + PADDING).append("\" y=\"").append(textY)
                .append("\" font-weight=\"bold\">").append(escape(title(box.node()))).append("</text>\n");
        for (String note : box.node().notes()) {
            textY += LINE_HEIGHT;
            svg.append("    <text x=\"").append(box.x() + PADDING).append("\" y=\"").append(textY)
                    .append("\" fill=\"#444\">").append(escape(note)).append("</text>\n");
        }
        svg.append("  </g>\n");
    }

    private static void drawLink(StringBuilder svg, Box from, Box to, Graph.Link link) {
        double[] a = border(from, to.cx(), to.cy());
        double[] b = border(to, from.cx(), from.cy());
        svg.append("  <line x1=\"").append(num(a[0])).append("\" y1=\"").append(num(a[1])).append("\" x2=\"").append(num(b[0]))
                .append("\" y2=\"").append(num(b[1])).append("\" stroke=\"#333\" stroke-width=\"2\"/>\n");
        endLabel(svg, a, b, link.fromLabel());
        endLabel(svg, b, a, link.toLabel());
    }

    /** Lines of {@code label} next to {@code at}, on the side facing {@code other}: name above the line, addresses below. */
    private static void endLabel(StringBuilder svg, double[] at, double[] other, List<String> label) {
        double dx = other[0] - at[0];
        double dy = other[1] - at[1];
        double length = Math.max(1, Math.hypot(dx, dy));
        double x = at[0] + dx / length * 6;
        double y = at[1] + dy / length * 6;
        String anchor = dx >= 0 ? "start" : "end";
        for (int i = 0; i < label.size(); i++) {
            double lineY = i == 0 ? y - 6 : y + 6 + i * 14;
            svg.append("  <text x=\"").append(num(x)).append("\" y=\"").append(num(lineY)).append("\" text-anchor=\"")
                    .append(anchor).append('"').append(i == 0 ? " font-weight=\"bold\"" : "").append('>')
                    .append(escape(label.get(i))).append("</text>\n");
        }
    }

    /** Where the line from the box's centre towards (tx, ty) leaves the box. */
    private static double[] border(Box box, double tx, double ty) {
        double dx = tx - box.cx();
        double dy = ty - box.cy();
        if (dx == 0 && dy == 0) {
            return new double[] {box.cx(), box.cy()};
        }
        double sx = dx == 0 ? Double.MAX_VALUE : (box.width() / 2.0) / Math.abs(dx);
        double sy = dy == 0 ? Double.MAX_VALUE : (box.height() / 2.0) / Math.abs(dy);
        double s = Math.min(sx, sy);
        return new double[] {box.cx() + dx * s, box.cy() + dy * s};
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
