package dev.netnslab.internal.files;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML mapping of a topology file, its keys in order with the nodes they hold, so that every
 * problem can name its line. A key given twice is reported (YAML says a mapping's keys are unique,
 * and a second value silently winning hides a mistake); {@code <<} merges of anchors are followed.
 *
 * @param path   where the mapping is, for messages: {@code topology.nodes.r1}
 * @param node   the mapping's node, or {@code null} for an empty value
 * @param fields the keys and their values
 */
record YamlMap(String path, Node node, Map<String, Node> fields) {

    /**
     * The mapping {@code node} holds, or an empty one for a null value.
     *
     * @return {@code null} when {@code node} is not a mapping (reported)
     */
    static YamlMap of(String path, Node node, FileProblems problems) {
        Map<String, Node> fields = new LinkedHashMap<>();
        if (node == null || isNull(node)) {
            return new YamlMap(path, node, fields);
        }
        if (!(node instanceof MappingNode mapping)) {
            problems.add(line(node), path, "expected a mapping (key: value lines) here, and this is " + what(node));
            return null;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                problems.add(line(tuple.getKeyNode()), path, "expected a plain key here");
                continue;
            }
            if (key.getValue().equals("<<")) {
                YamlMap merged = of(path, tuple.getValueNode(), problems);
                if (merged != null) {
                    merged.fields.forEach(fields::putIfAbsent);
                }
            } else if (fields.containsKey(key.getValue()) && !isMergedOnly(mapping, key.getValue())) {
                problems.add(
                        line(key),
                        path + "." + key.getValue(),
                        "the key " + key.getValue() + " is given twice in " + path + "; keep one");
            } else {
                fields.put(key.getValue(), tuple.getValueNode());
            }
        }
        return new YamlMap(path, node, fields);
    }

    /** Whether {@code key} came into the mapping by a merge so far, so that the mapping's own value may override it. */
    private static boolean isMergedOnly(MappingNode mapping, String key) {
        return mapping.getValue().stream()
                        .filter(t -> t.getKeyNode() instanceof ScalarNode s
                                && s.getValue().equals(key))
                        .count()
                < 2;
    }

    /** The scalar at {@code key}, or {@code null} when absent; a non-scalar is reported. */
    String text(String key, FileProblems problems) {
        Node value = fields.get(key);
        if (value == null || isNull(value)) {
            return null;
        }
        if (value instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problems.add(line(value), path + "." + key, "expected a single value here, and this is " + what(value));
        return null;
    }

    /** The sequence at {@code key}, empty when absent; a non-sequence is reported. */
    List<Node> list(String key, FileProblems problems) {
        Node value = fields.get(key);
        if (value == null || isNull(value)) {
            return List.of();
        }
        if (value instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        problems.add(
                line(value),
                path + "." + key,
                "expected a list (lines starting with -) here, and this is " + what(value));
        return List.of();
    }

    /** Notes the keys outside {@code used} and {@code ignored}: the latter as ignored, the others as unknown. */
    void note(Set<String> used, Set<String> ignored, FileProblems problems) {
        fields.forEach((key, value) -> {
            if (ignored.contains(key)) {
                problems.ignored(path + "." + key);
            } else if (!used.contains(key)) {
                problems.unknown(path + "." + key + " (line " + line(value) + ")");
            }
        });
    }

    /** The line where the mapping starts, 1-based. */
    int line() {
        return node == null ? 1 : line(node);
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && scalar.getTag().getValue().endsWith(":null");
    }

    static String what(Node node) {
        return node instanceof MappingNode ? "a mapping" : node instanceof SequenceNode ? "a list" : "a single value";
    }
}
