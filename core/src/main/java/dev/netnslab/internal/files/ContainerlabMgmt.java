package dev.netnslab.internal.files;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.internal.topology.DraftCall;
import dev.netnslab.internal.topology.IpCidr;
import dev.netnslab.internal.topology.Ipv4Address;
import dev.netnslab.internal.topology.Names;
import dev.netnslab.internal.topology.SpecDraft;
import dev.netnslab.internal.topology.SpecDraft.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * containerlab's management network, made only when a topology asks for it by giving
 * {@code mgmt: ipv4-subnet}: a bridge in the lab's host side holding the subnet's first address (the
 * gateway, as containerlab's), and on it every linux node's {@code eth0}, addressed by its
 * {@code mgmt-ipv4} or the next free address, in node order. Without it a node has no {@code eth0}
 * unless a link names one.
 */
final class ContainerlabMgmt {

    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private ContainerlabMgmt() {}

    static void add(
            YamlMap top, Map<String, String> kinds, SpecDraft draft, FileProblems problems, List<String> notes) {
        if (!top.fields().containsKey("mgmt")) {
            return;
        }
        YamlMap mgmt = YamlMap.of("mgmt", top.fields().get("mgmt"), problems);
        if (mgmt == null) {
            return;
        }
        mgmt.note(
                Set.of("ipv4-subnet", "ipv4_subnet", "bridge"),
                Set.of("network", "ipv6-subnet", "ipv6_subnet", "ipv4-gw", "ipv6-gw", "mtu", "external-access"),
                problems);
        String subnetText = mgmt.text("ipv4-subnet", problems);
        if (subnetText == null) {
            subnetText = mgmt.text("ipv4_subnet", problems);
        }
        if (subnetText == null) {
            notes.add("no management network (give mgmt: ipv4-subnet: to have one)");
            return;
        }
        IpCidr subnet;
        try {
            subnet = IpCidr.parseNetwork("mgmt ipv4-subnet", subnetText);
        } catch (InvalidLabSpecException e) {
            problems.add(mgmt.line(), subnetText, "expected an IPv4 subnet such as 172.20.20.0/24: " + e.rule());
            return;
        }
        if (!(subnet.address() instanceof Ipv4Address)) {
            problems.add(mgmt.line(), subnetText, "expected an IPv4 subnet such as 172.20.20.0/24");
            return;
        }
        String bridge = mgmt.text("bridge", problems);
        if (bridge == null) {
            bridge = "clab-mgmt";
        } else if (!INTERFACE.matcher(bridge).matches()) {
            problems.add(mgmt.line(), bridge, "a bridge name is 1-15 of [A-Za-z0-9_.-]");
            return;
        }
        Ipv4Address gateway = (Ipv4Address) subnet.firstHost();
        draft.add(new DraftCall.Bridge(Names.HOST, bridge));
        draft.add(new DraftCall.Address(Names.HOST, bridge, gateway + "/" + subnet.prefix(), false, false));
        List<String> nodes = new ArrayList<>();
        kinds.forEach((node, kind) -> {
            if (kind.equals("linux")) {
                nodes.add(node);
            }
        });
        Ipv4Address next = gateway;
        for (int i = 0; i < nodes.size(); i++) {
            String node = nodes.get(i);
            next = next.plus(1);
            String peer = node + ".mgmt";
            if (peer.length() > 15) {
                peer = "M" + i + ".mgmt";
            }
            draft.add(new DraftCall.Port(Endpoint.of(node, "eth0"), Endpoint.of(Names.HOST, bridge), peer));
            draft.add(new DraftCall.Address(node, "eth0", next + "/" + subnet.prefix(), false, false));
        }
        notes.add("management network " + subnet + " on bridge " + bridge + " (gateway " + gateway + ")");
    }
}
