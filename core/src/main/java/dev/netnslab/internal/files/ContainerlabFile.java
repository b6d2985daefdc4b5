package dev.netnslab.internal.files;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.internal.topology.DraftCall;
import dev.netnslab.internal.topology.Names;
import dev.netnslab.internal.topology.SpecDraft;
import dev.netnslab.internal.topology.Topology;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A containerlab topology file as a spec: {@code kind: linux} nodes become namespaces (their
 * {@code defaults}, {@code kinds} and {@code groups} inherited as containerlab does),
 * {@code kind: bridge} nodes bridges in the lab's host side, {@code links} veth pairs whose ends carry
 * exactly the names their endpoints give, and each node's {@code exec} commands run in its namespace
 * once the links are up, in order. The management network is made only when the file asks for it
 * with {@code mgmt: ipv4-subnet}.
 */
public final class ContainerlabFile {

    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    /** containerlab's default MTU for the veth pairs of links. */
    static final int LINK_MTU = 9500;

    private static final Set<String> NODE_KEYS = Set.of("kind", "exec", "group", "sysctls");
    /** Node keys that configure a container or a VM: read, and of no use to a namespace. */
    private static final Set<String> CONTAINER_KEYS = Set.of(
            "image",
            "type",
            "startup-config",
            "startup-delay",
            "enforce-startup-config",
            "suppress-startup-config",
            "auto-remove",
            "binds",
            "ports",
            "env",
            "env-files",
            "user",
            "entrypoint",
            "cmd",
            "labels",
            "license",
            "cpu",
            "cpu-set",
            "memory",
            "restart-policy",
            "network-mode",
            "dns",
            "publish",
            "extras",
            "wait-for",
            "stages",
            "certificate",
            "healthcheck",
            "aliases",
            "devices",
            "cap-add",
            "shm-size",
            "runtime",
            "image-pull-policy",
            "config",
            "components",
            "mgmt-ipv4",
            "mgmt-ipv6");

    private static final Set<String> TOP_KEYS = Set.of("name", "topology", "mgmt");
    private static final Set<String> TOP_IGNORED = Set.of("prefix", "settings", "debug");
    private static final Set<String> TOPOLOGY_KEYS = Set.of("nodes", "links", "defaults", "kinds", "groups");

    private final Path file;
    private final FileProblems problems;
    private final SpecDraft draft = new SpecDraft();
    private final List<String> notes = new ArrayList<>();
    /** The kind of each node, by name, in file order. */
    private final Map<String, String> kinds = new LinkedHashMap<>();
    /** The line of each endpoint, {@code ns:iface}, so that a second use names the first. */
    private final Map<String, Integer> endpointLines = new LinkedHashMap<>();

    private ContainerlabFile(Path file) {
        this.file = file;
        this.problems = new FileProblems(file);
    }

    /**
     * The spec of the topology in {@code file}.
     *
     * @throws InvalidLabSpecException naming the file, the line and what was expected, for every malformed
     *                                 node, before anything is created
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static SpecDraft read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidLabSpecException(
                    "containerlab topology file",
                    file.toString(),
                    "there is no such file; give the path of the lab's .clab.yml file");
        }
        return new ContainerlabFile(file).translate(KatharaLab.text(file));
    }

    private SpecDraft translate(String text) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new InvalidLabSpecException(
                    file + " line " + line,
                    text.lines().skip(line - 1).findFirst().orElse("").strip(),
                    "expected YAML: " + e.getProblem() + (e.getContext() == null ? "" : " " + e.getContext()));
        } catch (YAMLException e) {
            throw new InvalidLabSpecException(file.toString(), "", "expected YAML: " + e.getMessage());
        }
        YamlMap top = root == null ? null : YamlMap.of("(top)", root, problems);
        if (top == null || !top.fields().containsKey("topology")) {
            problems.add(1, "(top)", "expected a containerlab topology: a mapping with topology: and its nodes:");
            problems.throwIfAny();
        }
        top.note(TOP_KEYS, TOP_IGNORED, problems);
        YamlMap topology = YamlMap.of("topology", top.fields().get("topology"), problems);
        if (topology != null) {
            topology.note(TOPOLOGY_KEYS, Set.of(), problems);
            nodes(topology);
            links(topology);
            ContainerlabMgmt.add(top, kinds, draft, problems, notes);
        }
        problems.throwIfAny();
        String name = top.text("name", problems);
        problems.log("containerlab topology " + file + (name == null ? "" : " (" + name + ")"), notes);
        return draft;
    }

    private void nodes(YamlMap topology) {
        YamlMap defaults = YamlMap.of("topology.defaults", topology.fields().get("defaults"), problems);
        YamlMap kindsSection = YamlMap.of("topology.kinds", topology.fields().get("kinds"), problems);
        YamlMap groups = YamlMap.of("topology.groups", topology.fields().get("groups"), problems);
        YamlMap nodes = YamlMap.of("topology.nodes", topology.fields().get("nodes"), problems);
        if (defaults == null || kindsSection == null || groups == null || nodes == null) {
            return;
        }
        if (nodes.fields().isEmpty()) {
            problems.add(topology.line(), "topology.nodes", "expected at least one node under topology.nodes");
        }
        for (Map.Entry<String, Node> entry : nodes.fields().entrySet()) {
            String name = entry.getKey();
            YamlMap node = YamlMap.of("topology.nodes." + name, entry.getValue(), problems);
            if (node == null) {
                continue;
            }
            int line = entry.getValue() == null ? nodes.line() : YamlMap.line(entry.getValue());
            String groupName = node.text("group", problems);
            YamlMap group = groupName == null ? null : section(groups, groupName, "topology.groups");
            String kind = first(node.text("kind", problems), group, defaults, "kind");
            YamlMap kindDefaults = kind == null ? null : section(kindsSection, kind, "topology.kinds");
            List<YamlMap> chain = new ArrayList<>();
            for (YamlMap level : new YamlMap[] {defaults, kindDefaults, group, node}) {
                if (level != null) {
                    chain.add(level);
                }
            }
            chain.forEach(level -> level.note(NODE_KEYS, CONTAINER_KEYS, problems));
            node(name, kind, line, chain);
        }
    }

    private void node(String name, String kind, int line, List<YamlMap> chain) {
        if (kind == null) {
            problems.add(
                    line,
                    "topology.nodes." + name,
                    "expected a kind for node " + name + " (kind: linux, or kind: bridge), on the node or under"
                            + " topology.defaults");
            return;
        }
        switch (kind) {
            case "linux" -> {
                if (!NODE_NAME.matcher(name).matches() || name.equals(Names.HOST)) {
                    problems.add(
                            line,
                            name,
                            "a linux node becomes a namespace, named 1-32 of [A-Za-z0-9_.-] and not host; rename it");
                    return;
                }
                kinds.put(name, kind);
                draft.add(new DraftCall.Namespace(name));
                for (YamlMap level : chain) {
                    sysctls(name, level);
                }
                for (YamlMap level : chain) {
                    for (Node exec : level.list("exec", problems)) {
                        exec(name, exec);
                    }
                }
            }
            case "bridge" -> {
                if (!INTERFACE.matcher(name).matches()) {
                    problems.add(
                            line,
                            name,
                            "a bridge node becomes a bridge in the lab's host side, named 1-15 of [A-Za-z0-9_.-];"
                                    + " rename it");
                    return;
                }
                kinds.put(name, kind);
                draft.add(new DraftCall.Bridge(Names.HOST, name));
            }
            case "host" ->
                problems.add(
                        line,
                        name + " (kind: host)",
                        "node " + name + " is of kind host, the machine itself, and a lab never touches the machine's"
                                + " network; link to the lab's own host side with an endpoint host:IFACE instead");
            default ->
                problems.add(
                        line,
                        name + " (kind: " + kind + ")",
                        "node " + name + " is of kind " + kind + ", which needs a container image or a VM; a lab runs"
                                + " kind: linux nodes as namespaces and kind: bridge nodes as bridges");
        }
    }

    private void sysctls(String node, YamlMap level) {
        YamlMap sysctls = YamlMap.of(level.path() + ".sysctls", level.fields().get("sysctls"), problems);
        if (sysctls == null) {
            return;
        }
        for (String key : sysctls.fields().keySet()) {
            String value = sysctls.text(key, problems);
            if (key.startsWith("net.") && value != null) {
                draft.add(new DraftCall.Sysctl(node, key, value, true));
            } else {
                problems.ignored(sysctls.path() + "." + key + " (not a network namespace's)");
            }
        }
    }

    private void exec(String node, Node exec) {
        int line = YamlMap.line(exec);
        if (!(exec instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
            problems.add(
                    line, "exec of " + node, "expected a command line, such as - ip address add 10.0.0.1/24 dev eth1");
            return;
        }
        List<String> argv;
        try {
            argv = ShellWords.split(scalar.getValue());
        } catch (IllegalArgumentException e) {
            problems.add(line, scalar.getValue(), "expected a command line whose quotes are closed: " + e.getMessage());
            return;
        }
        String where = file.getFileName() + " line " + line;
        List<Topology.Requirement> requires = StartupLines.requirements(
                scalar.getValue(), file, file.getFileName().toString(), line, problems);
        draft.add(new DraftCall.Startup(
                new Topology.StartupSpec(node, "exec of " + node + " (" + where + ")", argv, null, requires)));
    }

    private void links(YamlMap topology) {
        for (Node item : topology.list("links", problems)) {
            YamlMap link = YamlMap.of("topology.links[" + YamlMap.line(item) + "]", item, problems);
            if (link == null) {
                continue;
            }
            link.note(Set.of("endpoints", "type", "mtu"), Set.of("vars", "labels"), problems);
            String type = link.text("type", problems);
            if (type != null && !type.equals("veth")) {
                problems.add(
                        link.line(),
                        "type: " + type,
                        "expected a veth link (the brief form, endpoints: [\"a:eth1\", \"b:eth1\"], or type: veth);"
                                + " a " + type + " link reaches beyond the lab");
                continue;
            }
            List<Node> endpoints = link.list("endpoints", problems);
            if (endpoints.size() != 2) {
                problems.add(
                        link.line(),
                        "endpoints",
                        "expected two endpoints, such as endpoints: [\"r1:eth1\", \"r2:eth1\"], and this link has "
                                + endpoints.size());
                continue;
            }
            int mtu = mtu(link);
            ContainerlabEndpoint a = ContainerlabEndpoint.read(endpoints.get(0), kinds, problems);
            ContainerlabEndpoint b = ContainerlabEndpoint.read(endpoints.get(1), kinds, problems);
            if (a == null || b == null || mtu < 0 || !unused(a) | !unused(b)) {
                continue;
            }
            ContainerlabEndpoint.link(a, b, mtu, kinds, draft);
        }
    }

    /** Whether {@code end}'s interface is not taken by another link yet; a taken one is reported. */
    private boolean unused(ContainerlabEndpoint end) {
        String key = end.namespace(kinds) + ":" + end.iface();
        Integer previous = endpointLines.putIfAbsent(key, end.line());
        if (previous != null) {
            problems.add(
                    end.line(),
                    end.node() + ":" + end.iface(),
                    "the interface " + end.iface()
                            + (end.namespace(kinds).equals(Names.HOST)
                                    ? " of the host side (where bridge ports and host links live)"
                                    : " of " + end.node())
                            + " is an endpoint of the link on line " + previous + " already; give each link its own"
                            + " interface");
            return false;
        }
        return true;
    }

    private int mtu(YamlMap link) {
        String mtu = link.text("mtu", problems);
        if (mtu == null) {
            return LINK_MTU;
        }
        try {
            return Integer.parseInt(mtu);
        } catch (NumberFormatException e) {
            problems.add(YamlMap.line(link.fields().get("mtu")), mtu, "expected the link's MTU, a number such as 1500");
            return -1;
        }
    }

    /** {@code key} of the first of {@code group}, then {@code defaults}, that has it, after {@code own}. */
    private String first(String own, YamlMap group, YamlMap defaults, String key) {
        if (own != null) {
            return own;
        }
        String fromGroup = group == null ? null : group.text(key, problems);
        return fromGroup != null ? fromGroup : defaults.text(key, problems);
    }

    private YamlMap section(YamlMap parent, String name, String path) {
        Node node = parent.fields().get(name);
        return node == null ? null : YamlMap.of(path + "." + name, node, problems);
    }
}
