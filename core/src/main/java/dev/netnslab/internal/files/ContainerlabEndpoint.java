package dev.netnslab.internal.files;

import dev.netnslab.internal.topology.DraftCall;
import dev.netnslab.internal.topology.Names;
import dev.netnslab.internal.topology.SpecDraft;
import dev.netnslab.internal.topology.SpecDraft.Endpoint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * One end of a containerlab link, written {@code "node:iface"} or, in the extended form, as a mapping
 * with {@code node}, {@code interface} and {@code mac}. The node {@code host} is the lab's own host
 * side (containerlab's host links), a bridge node's end lives next to the bridge in the host side
 * and is enslaved to it.
 *
 * @param node  the node, or {@code host}
 * @param iface the interface, named exactly as written
 * @param mac   its MAC, or {@code null}
 * @param line  where it is written
 */
record ContainerlabEndpoint(String node, String iface, String mac, int line) {

    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern MAC = Pattern.compile("([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}");

    private static final String RULE = "expected an endpoint written node:interface, such as r1:eth1 (or a mapping"
            + " with node: and interface:), whose node is one of topology.nodes or host";

    /** The endpoint {@code node} holds, or {@code null} when it is malformed (reported). */
    static ContainerlabEndpoint read(Node node, Map<String, String> kinds, FileProblems problems) {
        int line = YamlMap.line(node);
        String name;
        String iface;
        String mac = null;
        if (node instanceof ScalarNode scalar) {
            String text = scalar.getValue();
            int colon = text.indexOf(':');
            if (colon <= 0 || colon == text.length() - 1 || text.indexOf(':', colon + 1) >= 0) {
                problems.add(line, text, RULE);
                return null;
            }
            name = text.substring(0, colon);
            iface = text.substring(colon + 1);
        } else {
            YamlMap map = YamlMap.of("endpoint", node, problems);
            if (map == null) {
                return null;
            }
            map.note(Set.of("node", "interface", "mac"), Set.of("vars", "labels"), problems);
            name = map.text("node", problems);
            iface = map.text("interface", problems);
            mac = map.text("mac", problems);
            if (name == null || iface == null) {
                problems.add(line, "endpoint", RULE);
                return null;
            }
        }
        if (!name.equals(Names.HOST) && !kinds.containsKey(name)) {
            problems.add(
                    line,
                    name + ":" + iface,
                    "the node " + name + " is not a linux or bridge node of topology.nodes; the nodes are "
                            + kinds.keySet()
                            + (name.equals("mgmt-net") || name.equals("macvlan")
                                    ? " (" + name + " links reach beyond the lab)"
                                    : ""));
            return null;
        }
        if (!INTERFACE.matcher(iface).matches()) {
            problems.add(line, name + ":" + iface, "an interface name is 1-15 of [A-Za-z0-9_.-]");
            return null;
        }
        if (mac != null && !MAC.matcher(mac).matches()) {
            problems.add(line, mac, "expected a MAC, six hex pairs separated by colons, such as 02:00:00:00:00:01");
            return null;
        }
        return new ContainerlabEndpoint(name, iface, mac, line);
    }

    /** The namespace the end lives in: the node's own, or the host side for a bridge or the host. */
    String namespace(Map<String, String> kinds) {
        return node.equals(Names.HOST) || "bridge".equals(kinds.get(node)) ? Names.HOST : node;
    }

    /** Adds the veth pair between {@code a} and {@code b}, its MTU, MACs and bridge ports. */
    static void link(
            ContainerlabEndpoint a, ContainerlabEndpoint b, int mtu, Map<String, String> kinds, SpecDraft draft) {
        draft.add(new DraftCall.Veth(
                Endpoint.of(a.namespace(kinds), a.iface()), Endpoint.of(b.namespace(kinds), b.iface())));
        for (ContainerlabEndpoint end : List.of(a, b)) {
            draft.add(DraftCall.LinkSetting.mtu(end.namespace(kinds), end.iface(), mtu));
            if (end.mac() != null) {
                draft.add(new DraftCall.Mac(end.namespace(kinds), end.iface(), end.mac()));
            }
            if ("bridge".equals(kinds.get(end.node()))) {
                draft.add(new DraftCall.Master(Names.HOST, end.iface(), end.node()));
            }
        }
    }
}
