package dev.netnslab.topology;

import java.util.List;

/**
 * What a lab contains, as plain values: its namespaces (besides the implicit {@value Names#HOST}
 * sandbox), the veth pairs between them, the addresses on their interfaces, and their routes.
 * A topology says nothing about how it is built; {@link TopologyValidator} checks it and the
 * {@code iproute} package renders it.
 *
 * @param namespaces the user's namespaces, by logical name, in creation order
 * @param veths      veth pairs, each end in a namespace (or in {@code host})
 * @param addresses  interface addresses; the first address of a namespace is its primary address
 * @param routes     routes, added after every address is in place
 */
public record Topology(List<String> namespaces, List<Veth> veths, List<AddressSpec> addresses, List<RouteSpec> routes) {

    public Topology {
        namespaces = List.copyOf(namespaces);
        veths = List.copyOf(veths);
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
    }

    /** One end of a link: an interface name inside a namespace. */
    public record End(String namespace, String iface) {
        @Override
        public String toString() {
            return namespace + ":" + iface;
        }
    }

    /** A veth pair, {@code a} and {@code b} being its two ends. */
    public record Veth(End a, End b) {
    }

    /** An address on an interface. */
    public record AddressSpec(String namespace, String iface, Ipv4Cidr cidr) {
    }

    /**
     * A route in a namespace.
     *
     * @param destination {@code 0.0.0.0/0} for the default route, or a network
     * @param via         the gateway, or {@code null} for an on-link route
     * @param dev         the outgoing interface, or {@code null} to let the kernel pick
     */
    public record RouteSpec(String namespace, Ipv4Cidr destination, Ipv4Address via, String dev) {
    }

    /** Every namespace of the lab: {@code host} first, then the user's. */
    public List<String> allNamespaces() {
        List<String> all = new java.util.ArrayList<>();
        all.add(Names.HOST);
        all.addAll(namespaces);
        return all;
    }

    /** The interfaces that the lab creates in {@code namespace}, in creation order. */
    public List<String> interfacesOf(String namespace) {
        List<String> result = new java.util.ArrayList<>();
        for (Veth veth : veths) {
            if (veth.a().namespace().equals(namespace)) {
                result.add(veth.a().iface());
            }
            if (veth.b().namespace().equals(namespace)) {
                result.add(veth.b().iface());
            }
        }
        return result;
    }

    /** The first address given to {@code namespace}, or {@code null} when it has none. */
    public Ipv4Cidr primaryAddress(String namespace) {
        return addresses.stream().filter(a -> a.namespace().equals(namespace))
                .map(AddressSpec::cidr).findFirst().orElse(null);
    }
}
