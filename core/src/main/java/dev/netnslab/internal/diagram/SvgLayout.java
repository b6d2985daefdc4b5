package dev.netnslab.internal.diagram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each box of a {@link Graph} goes: a layered layout with no external tools. The host is in
 * the first column, each other node one column further than its nearest neighbour (cables and
 * devices, not the overlay, which is drawn as an arc beside its column). Within a column, nodes are
 * ordered by the row of their neighbour in the column before, so a tree is drawn without crossings.
 * Columns are as far apart as the labels at the ends of the cables between them need.
 */
final class SvgLayout {

    static final int CHAR_WIDTH = 7;
    static final int LINE_HEIGHT = 16;
    static final int PADDING = 10;
    static final int MARGIN = 20;
    /** Room between two columns joined only by unlabelled lines. */
    private static final int MIN_COLUMN_GAP = 60;

    private static final int ROW_GAP = 36;
    /** How far apart lines leave one side of a box: room for an interface name above and an address below. */
    static final int PORT_GAP = 40;

    private static final int ARC_BULGE = 60;
    private static final int ARC_STEP = 30;

    private SvgLayout() {}

    /** A placed node, with the column it is in. */
    record Box(Graph.Node node, int column, int x, int y, int width, int height) {
        double cx() {
            return x + width / 2.0;
        }

        double cy() {
            return y + height / 2.0;
        }
    }

    /** The boxes by node id, in the graph's node order. */
    static Map<String, Box> layout(Graph graph) {
        Map<String, Integer> column = columns(graph);
        Map<String, List<String>> neighbours = neighbours(graph);
        int columns = column.values().stream().mapToInt(c -> c + 1).max().orElse(0);
        Map<String, Integer> index = new HashMap<>();
        graph.nodes().forEach(n -> index.put(n.id(), index.size()));
        Map<String, Integer> height = new HashMap<>();
        int[] columnWidth = new int[columns];
        List<List<String>> members = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            members.add(new ArrayList<>());
        }
        for (Graph.Node node : graph.nodes()) {
            int c = column.get(node.id());
            members.get(c).add(node.id());
            columnWidth[c] = Math.max(columnWidth[c], boxWidth(node));
            height.put(node.id(), boxHeight(node, neighbours.getOrDefault(node.id(), List.of()), column));
        }
        // Left to right: each box as near its neighbours in the column before as the boxes above it allow.
        Map<String, Double> top = new HashMap<>();
        for (int c = 0; c < columns; c++) {
            int current = c;
            Map<String, Double> wanted = new HashMap<>();
            for (String id : members.get(c)) {
                wanted.put(
                        id,
                        centreOf(neighbours.getOrDefault(id, List.of()), column, current - 1, top, height)
                                .map(centre -> centre - height.get(id) / 2.0)
                                .orElse(0.0));
            }
            members.get(c).sort(Comparator.comparingDouble(wanted::get).thenComparingInt(index::get));
            stack(members.get(c), wanted, height, top);
        }
        // Right to left: centre each box on what hangs off it, so a bridge sits between its ports.
        for (int c = columns - 2; c >= 0; c--) {
            int current = c;
            Map<String, Double> wanted = new HashMap<>();
            for (String id : members.get(c)) {
                wanted.put(
                        id,
                        centreOf(neighbours.getOrDefault(id, List.of()), column, current + 1, top, height)
                                .map(centre -> Math.max(top.get(id), centre - height.get(id) / 2.0))
                                .orElse(top.get(id)));
            }
            stack(members.get(c), wanted, height, top);
        }
        int[] gap = gaps(graph, column, columns);
        Map<String, Box> boxes = new LinkedHashMap<>();
        for (Graph.Node node : graph.nodes()) {
            int c = column.get(node.id());
            int x = MARGIN;
            for (int i = 0; i < c; i++) {
                x += columnWidth[i] + gap[i];
            }
            int y = MARGIN + (int) Math.round(top.get(node.id()));
            boxes.put(node.id(), new Box(node, c, x, y, columnWidth[c], height.get(node.id())));
        }
        return boxes;
    }

    /** Places {@code ids} top to bottom in their order, each at its wanted top or just below the box above. */
    private static void stack(
            List<String> ids, Map<String, Double> wanted, Map<String, Integer> height, Map<String, Double> top) {
        double next = 0;
        for (String id : ids) {
            double y = Math.max(next, wanted.get(id));
            top.put(id, y);
            next = y + height.get(id) + ROW_GAP;
        }
    }

    /** The mean vertical centre of the placed neighbours in column {@code c}, if any. */
    private static java.util.Optional<Double> centreOf(
            List<String> neighbours,
            Map<String, Integer> column,
            int c,
            Map<String, Double> top,
            Map<String, Integer> height) {
        double[] centres = neighbours.stream()
                .filter(n -> column.get(n) == c && top.containsKey(n))
                .mapToDouble(n -> top.get(n) + height.get(n) / 2.0)
                .toArray();
        return centres.length == 0
                ? java.util.Optional.empty()
                : java.util.Optional.of(
                        java.util.Arrays.stream(centres).average().orElse(0));
    }

    /** Breadth-first distance from the first node; a part not linked to it starts a column after the last. */
    private static Map<String, Integer> columns(Graph graph) {
        Map<String, List<String>> neighbours = neighbours(graph);
        Map<String, Integer> column = new HashMap<>();
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
        return column;
    }

    private static Map<String, List<String>> neighbours(Graph graph) {
        Map<String, List<String>> neighbours = new HashMap<>();
        for (Graph.Link link : graph.links()) {
            if (link.style() != Graph.Style.OVERLAY) {
                neighbours.computeIfAbsent(link.from(), k -> new ArrayList<>()).add(link.to());
                neighbours.computeIfAbsent(link.to(), k -> new ArrayList<>()).add(link.from());
            }
        }
        return neighbours;
    }

    /** Each gap fits the widest pair of end labels of a cable crossing it. */
    private static int[] gaps(Graph graph, Map<String, Integer> column, int columns) {
        int[] gap = new int[Math.max(0, columns)];
        java.util.Arrays.fill(gap, MIN_COLUMN_GAP);
        for (Graph.Link link : graph.links()) {
            int a = column.get(link.from());
            int b = column.get(link.to());
            if (a != b && link.style() == Graph.Style.CABLE) {
                int needed = labelWidth(link.fromLabel()) + labelWidth(link.toLabel()) + 40;
                int first = Math.min(a, b);
                gap[first] = Math.max(gap[first], needed);
            }
        }
        for (int c = 0; c + 1 < columns; c++) {
            int current = c;
            gap[c] = Math.max(gap[c], arcRoom(arcs(graph, id -> column.get(id), current)));
        }
        return gap;
    }

    /** The links between two boxes of column {@code c}, in graph order: drawn as arcs to the right of it. */
    static List<Graph.Link> arcs(Graph graph, java.util.function.Function<String, Integer> columnOf, int c) {
        return graph.links().stream()
                .filter(l -> columnOf.apply(l.from()) == c && columnOf.apply(l.to()) == c)
                .collect(java.util.stream.Collectors.toList());
    }

    /** How far right of its column the {@code k}-th arc of the column reaches at its control points; nested arcs do not touch. */
    static int arcBulge(int k) {
        return ARC_BULGE + k * ARC_STEP;
    }

    /** The room right of a column that its arcs and their labels need (the curve's apex is 3/4 of the bulge). */
    static int arcRoom(List<Graph.Link> arcs) {
        int room = 0;
        for (int k = 0; k < arcs.size(); k++) {
            room = Math.max(room, arcBulge(k) * 3 / 4 + 6 + labelWidth(List.of(arcLabel(arcs.get(k)))) + 20);
        }
        return room;
    }

    /** An arc's one label: the VNI of an overlay, both interface names of a cable. */
    static String arcLabel(Graph.Link link) {
        if (link.style() == Graph.Style.OVERLAY) {
            return link.fromLabel().isEmpty() ? "" : link.fromLabel().get(0);
        }
        if (link.fromLabel().isEmpty() || link.toLabel().isEmpty()) {
            return "";
        }
        return link.fromLabel().get(0) + " - " + link.toLabel().get(0);
    }

    static int labelWidth(List<String> label) {
        return label.stream().mapToInt(l -> l.length() * CHAR_WIDTH + 8).max().orElse(0);
    }

    static String title(Graph.Node node) {
        return node.kind() == Graph.Kind.HOST ? node.title() + " (lab sandbox)" : node.title();
    }

    private static int boxWidth(Graph.Node node) {
        int longest = title(node).length();
        for (String note : node.notes()) {
            longest = Math.max(longest, note.length());
        }
        // A bridge's slanted sides take room from its text.
        int extra = node.kind() == Graph.Kind.BRIDGE ? 2 * PADDING : 0;
        return Math.max(node.kind() == Graph.Kind.BRIDGE ? 80 : 100, longest * CHAR_WIDTH + 2 * PADDING + extra);
    }

    /** Tall enough for its text, and for the labelled lines that leave one side to be {@link #PORT_GAP} apart. */
    private static int boxHeight(Graph.Node node, List<String> neighbours, Map<String, Integer> column) {
        int c = column.get(node.id());
        long left = neighbours.stream().filter(n -> column.get(n) < c).count();
        long right = neighbours.stream().filter(n -> column.get(n) > c).count();
        int ports = (int) Math.max(left, right);
        return Math.max((1 + node.notes().size()) * LINE_HEIGHT + 2 * PADDING, ports * PORT_GAP);
    }
}
