package dev.netnslab;

import dev.netnslab.topology.InvalidLabSpecException;
import dev.netnslab.topology.Ipv4Cidr;
import dev.netnslab.topology.Names;
import dev.netnslab.topology.Topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The builder's shorthands for the blog's shapes, expanded into plain elements: nodes (namespaces
 * playing VMs on a shared underlay switch) and containers (namespaces hanging off a bridge).
 */
final class Nodes {

    /** The bridge in {@code host} that joins every node's {@code eth0}: the lab's underlay switch. */
    static final String UNDERLAY = LabSpec.UNDERLAY_BRIDGE;
    /** The bridge inside a node that its containers hang off. */
    static final String NODE_BRIDGE = LabSpec.NODE_BRIDGE;
    /** The interface of a node on the underlay, and of a container on its bridge. */
    static final String ETH0 = "eth0";

    private final LabSpec.Builder builder;
    private final List<Container> containers = new ArrayList<>();
    private boolean underlay;

    private record Container(String name, String bridgeNs, String bridge, Ipv4Cidr cidr) {
    }

    Nodes(LabSpec.Builder builder) {
        this.builder = builder;
    }

    void node(String name, String underlayCidr, String bridgeCidr) {
        String peer = peerName("node", name);
        if (!underlay) {
            builder.bridge(Names.HOST, UNDERLAY);
            underlay = true;
        }
        builder.namespace(name)
                .port(name, ETH0, Names.HOST, UNDERLAY, peer)
                .address(name, ETH0, underlayCidr)
                .ipForward(name, true);
        if (bridgeCidr != null) {
            builder.bridge(name, NODE_BRIDGE, bridgeCidr);
        }
    }

    void container(String name, String bridgeNs, String bridge, String cidr) {
        String peer = peerName("container", name);
        Ipv4Cidr parsed = Ipv4Cidr.parseHost("address of container " + name, cidr);
        builder.namespace(name)
                .port(name, ETH0, bridgeNs, bridge, peer)
                .address(name, ETH0, parsed.toString());
        containers.add(new Container(name, bridgeNs, bridge, parsed));
    }

    /**
     * Default routes for containers whose bridge has an address in their subnet, unless the user
     * routed the container's default already. Computed at build time so that the order of calls
     * (bridge before or after container) does not matter.
     */
    List<Topology.RouteSpec> gatewayRoutes(List<Topology.AddressSpec> addresses, List<Topology.RouteSpec> routes) {
        List<Topology.RouteSpec> result = new ArrayList<>();
        for (Container container : containers) {
            boolean routed = routes.stream().anyMatch(r -> r.namespace().equals(container.name()) && r.destination().isDefault());
            addresses.stream()
                    .filter(a -> a.namespace().equals(container.bridgeNs()) && a.iface().equals(container.bridge()))
                    .filter(a -> a.cidr().subnet().equals(container.cidr().subnet()))
                    .findFirst()
                    .filter(gateway -> !routed)
                    .ifPresent(gateway -> result.add(new Topology.RouteSpec(container.name(),
                            Ipv4Cidr.parseNetwork("route", "default"), gateway.cidr().address(), null)));
        }
        return result;
    }

    /** The peer of a node's or container's {@code eth0}: {@code veth-<name>}, which must fit in 15 bytes. */
    private static String peerName(String kind, String name) {
        Names.checkNamespace(kind, name);
        String peer = "veth-" + name;
        int max = Names.MAX_INTERFACE_BYTES - "veth-".length();
        if (peer.getBytes(StandardCharsets.UTF_8).length > Names.MAX_INTERFACE_BYTES) {
            throw new InvalidLabSpecException(kind, name, "a " + kind + "'s name may be at most " + max
                    + " bytes, because its veth peer is called veth-<name> and interface names hold at most "
                    + Names.MAX_INTERFACE_BYTES + " bytes; shorten the name");
        }
        return peer;
    }
}
