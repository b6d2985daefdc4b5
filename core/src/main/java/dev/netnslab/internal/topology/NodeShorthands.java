package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shorthands for the shapes of the blog series, expanded into plain elements when a draft is
 * built: the single-namespace lab, nodes (namespaces playing VMs) on the lab's underlay switch, and
 * containers on a bridge, with the default routes that make them reachable.
 */
public final class NodeShorthands {

    /** The host-side end of the single-namespace lab's veth pair. */
    public static final String HOST_VETH = "veth1";
    /** The namespace-side end of the single-namespace lab's veth pair. */
    public static final String NAMESPACE_VETH = "veth2";
    /** The bridge in {@code host} that joins the {@code eth0} of every node. */
    public static final String UNDERLAY_BRIDGE = "underlay";
    /** The bridge a node gets for its containers. */
    public static final String NODE_BRIDGE = "br0";
    /** The interface of a node on the underlay, and of a container on its bridge. */
    private static final String ETH0 = "eth0";

    private static final String PEER_PREFIX = "veth-";

    /** A container, kept to give it its default route once every call is in. */
    record Container(String name, String bridgeNs, String bridge, IpCidr cidr) {}

    private NodeShorthands() {}

    /**
     * Namespace {@code ns} joined to the host by {@code veth1}/{@code veth2}, with a default route via
     * the host. Checks {@code ns}, {@code ip} and {@code hostIp} under those names, as {@code @NetnsLab}
     * calls them, and adds nothing when one is bad.
     */
    static void singleNamespace(DraftParts parts, String ns, String ip, String hostIp) {
        boolean named = parts.problems.check(() -> Names.checkNamespace("ns", ns));
        IpCidr nsCidr = parts.problems.parse(() -> IpCidr.parseHost("ip", ip));
        IpCidr hostCidr =
                nsCidr == null ? null : parts.problems.parse(() -> TopologyValidator.hostAddress(nsCidr, hostIp));
        if (!named || hostCidr == null) {
            return;
        }
        parts.namespaces.add(ns);
        parts.veths.add(
                new Topology.Veth(new Topology.End(Names.HOST, HOST_VETH), new Topology.End(ns, NAMESPACE_VETH)));
        parts.addresses.add(new Topology.AddressSpec(Names.HOST, HOST_VETH, hostCidr));
        parts.addresses.add(new Topology.AddressSpec(ns, NAMESPACE_VETH, nsCidr));
        parts.routes.add(new Topology.RouteSpec(ns, IpCidr.defaultRoute(hostCidr.family()), hostCidr.address(), null));
    }

    /**
     * A node: namespace {@code name}, whose {@code eth0} is a port of the underlay bridge in {@code host}
     * (added with the first node), with IPv4 forwarding on, and a bridge {@code br0} when
     * {@code bridgeCidr} is given.
     */
    static void node(DraftParts parts, String name, String underlayCidr, String bridgeCidr) {
        String peer = peerName(parts, "node", name);
        if (!parts.underlay) {
            parts.bridges.add(new Topology.BridgeSpec(Names.HOST, UNDERLAY_BRIDGE));
            parts.underlay = true;
        }
        parts.namespaces.add(name);
        parts.port(name, ETH0, Names.HOST, UNDERLAY_BRIDGE, peer);
        parts.address(name, ETH0, underlayCidr, false, false);
        parts.sysctl(name, "net.ipv4.ip_forward", "1");
        if (bridgeCidr != null) {
            parts.bridges.add(new Topology.BridgeSpec(name, NODE_BRIDGE));
            parts.address(name, NODE_BRIDGE, bridgeCidr, false, false);
        }
    }

    /**
     * A container: namespace {@code name}, whose {@code eth0} is a port of a bridge.
     *
     * @param where  a node's name (its bridge {@code br0}) or {@code ns:bridge}; the bridge's namespace
     *               when {@code bridge} is given apart
     * @param bridge the bridge given apart, or {@code null}
     */
    static void container(DraftParts parts, String name, String where, String bridge, String cidr) {
        Topology.End at = bridge != null
                ? new Topology.End(where, bridge)
                : parts.namespaceOrEnd("container " + name + " bridge", where);
        String peer = peerName(parts, "container", name);
        IpCidr parsed = parts.problems.parse(() -> IpCidr.parseHost("address of container " + name, cidr));
        parts.namespaces.add(name);
        if (at == null) {
            return;
        }
        String bridgeName = at.iface() != null ? at.iface() : NODE_BRIDGE;
        parts.port(name, ETH0, at.namespace(), bridgeName, peer);
        if (parsed != null) {
            parts.addresses.add(new Topology.AddressSpec(name, ETH0, parsed));
            parts.containers.add(new Container(name, at.namespace(), bridgeName, parsed));
        }
    }

    /**
     * Default routes for containers whose bridge has an address in their subnet, unless a call routes
     * the container's default already. Derived once every call is in, so that the order of the calls
     * (bridge before or after container) does not matter.
     */
    static void addGatewayRoutes(DraftParts parts) {
        List<Topology.RouteSpec> result = new ArrayList<>();
        for (Container container : parts.containers) {
            boolean routed = parts.routes.stream()
                    .anyMatch(r -> Objects.equals(r.namespace(), container.name())
                            && r.destination().isDefault()
                            && r.destination().family() == container.cidr().family());
            parts.addresses.stream()
                    .filter(a -> Objects.equals(a.namespace(), container.bridgeNs())
                            && Objects.equals(a.iface(), container.bridge()))
                    .filter(a -> a.cidr().subnet().equals(container.cidr().subnet()))
                    .findFirst()
                    .filter(gateway -> !routed)
                    .ifPresent(gateway -> result.add(new Topology.RouteSpec(
                            container.name(),
                            IpCidr.defaultRoute(gateway.cidr().family()),
                            gateway.cidr().address(),
                            null)));
        }
        parts.routes.addAll(result);
    }

    /**
     * The peer of a node's or container's {@code eth0}: {@code veth-<name>}, which must fit in 15 bytes.
     * A bad name is reported as the user wrote it, and not again as the namespace or the peer it makes.
     */
    private static String peerName(DraftParts parts, String kind, String name) {
        String peer = PEER_PREFIX + name;
        boolean fine = parts.problems.check(() -> {
            Names.checkNamespace(kind, name);
            if (tooLong(peer)) {
                throw new InvalidLabSpecException(
                        kind,
                        name,
                        "a " + kind + "'s name may be at most " + maxName()
                                + " bytes, because its veth peer is called veth-<name> and interface names hold at most "
                                + Names.MAX_INTERFACE_BYTES + " bytes; shorten the name");
            }
        });
        if (!fine && name != null) {
            parts.problems.explained(name);
            parts.problems.explained(peer);
        }
        return peer;
    }

    /** The peer of a port whose peer is not named: {@code veth-<namespace>}, which must fit in 15 bytes. */
    static String portPeer(DraftParts parts, Topology.End plugged, Topology.End bridge) {
        String peer = PEER_PREFIX + plugged.namespace();
        if (tooLong(peer)) {
            parts.problems.add(new InvalidLabSpecException(
                    "port " + plugged,
                    plugged.namespace(),
                    "a port's veth peer is"
                            + " called veth-<namespace> unless it is named, and interface names hold at most "
                            + Names.MAX_INTERFACE_BYTES
                            + " bytes, so this namespace's name is "
                            + (peer.getBytes(StandardCharsets.UTF_8).length - Names.MAX_INTERFACE_BYTES)
                            + " bytes too long for it; name the peer: port(\"" + plugged + "\", \"" + bridge
                            + "\", \"<peer>\")"));
            parts.problems.explained(peer);
        }
        return peer;
    }

    private static boolean tooLong(String peer) {
        return peer.getBytes(StandardCharsets.UTF_8).length > Names.MAX_INTERFACE_BYTES;
    }

    private static int maxName() {
        return Names.MAX_INTERFACE_BYTES - PEER_PREFIX.length();
    }
}
