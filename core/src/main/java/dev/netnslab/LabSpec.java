package dev.netnslab;

import dev.netnslab.topology.InvalidLabSpecException;
import dev.netnslab.topology.Ipv4Address;
import dev.netnslab.topology.Ipv4Cidr;
import dev.netnslab.topology.Names;
import dev.netnslab.topology.Topology;
import dev.netnslab.topology.TopologyValidator;

import java.util.ArrayList;
import java.util.List;

/**
 * What a lab contains: namespaces, veth pairs, addresses and routes. A spec is immutable and
 * validated when it is built, so an invalid one never reaches the kernel.
 *
 * <p>Every lab has a namespace called {@value Names#HOST} that plays the host (the VM in the blog
 * series). It is a sandbox of the lab's own, so a lab never changes the machine's real routing.
 *
 * <pre>{@code
 * LabSpec seed = LabSpec.singleNamespace("netns1", "10.200.1.1", null);   // the blog's Part 1
 *
 * LabSpec custom = LabSpec.builder()
 *         .namespace("netns1")
 *         .veth("host", "veth1", "netns1", "veth2")
 *         .address("host", "veth1", "10.200.1.254/24")
 *         .address("netns1", "veth2", "10.200.1.1/24")
 *         .route("netns1", "default", "10.200.1.254")
 *         .build();
 * }</pre>
 */
public final class LabSpec {

    /** The host-side end of the seed's veth pair. */
    public static final String HOST_VETH = "veth1";
    /** The namespace-side end of the seed's veth pair. */
    public static final String NAMESPACE_VETH = "veth2";

    private final Topology topology;

    private LabSpec(Topology topology) {
        this.topology = TopologyValidator.validate(topology);
    }

    /**
     * The seed's lab (Part 1): namespace {@code ns} joined to the host by {@code veth1}/{@code veth2},
     * {@code ip} on {@code veth2}, {@code hostIp} on {@code veth1}, {@code lo} up, and a default route
     * in the namespace via the host address.
     *
     * @param ns     the namespace's name, e.g. {@code netns1}
     * @param ip     the namespace's address; a prefix may follow ({@code /24} when absent)
     * @param hostIp the host's address in the same subnet, or {@code null}/empty for the highest usable
     *               address of the subnet ({@code 10.200.1.254} for {@code 10.200.1.1/24})
     * @throws InvalidLabSpecException naming the attribute, the value and the rule, before anything is created
     */
    public static LabSpec singleNamespace(String ns, String ip, String hostIp) {
        Names.checkNamespace("ns", ns);
        Ipv4Cidr nsCidr = Ipv4Cidr.parseHost("ip", ip);
        Ipv4Cidr hostCidr;
        if (hostIp == null || hostIp.isEmpty()) {
            Ipv4Address last = nsCidr.lastHost();
            if (last.equals(nsCidr.address())) {
                last = nsCidr.firstHost();
            }
            hostCidr = new Ipv4Cidr(last, nsCidr.prefix());
        } else {
            Ipv4Address address = Ipv4Address.parse("hostIp", hostIp.contains("/") ? hostIp.substring(0, hostIp.indexOf('/')) : hostIp);
            if (hostIp.contains("/")) {
                Ipv4Cidr given = Ipv4Cidr.parse("hostIp", hostIp, nsCidr.prefix());
                if (given.prefix() != nsCidr.prefix()) {
                    throw new InvalidLabSpecException("hostIp", hostIp, "its prefix must match ip's subnet "
                            + nsCidr.subnet() + "; leave the prefix out or write /" + nsCidr.prefix());
                }
            }
            if (!nsCidr.contains(address)) {
                throw new InvalidLabSpecException("hostIp", hostIp, "it must lie inside ip's subnet " + nsCidr.subnet()
                        + " so the namespace can reach it directly; pick one of " + nsCidr.firstHost() + "-" + nsCidr.lastHost());
            }
            try {
                hostCidr = Ipv4Cidr.parseHost("hostIp", address + "/" + nsCidr.prefix());
            } catch (InvalidLabSpecException e) {
                // report the value as the user wrote it, not with the prefix we added
                throw new InvalidLabSpecException("hostIp", hostIp, e.rule());
            }
            if (address.equals(nsCidr.address())) {
                throw new InvalidLabSpecException("hostIp", hostIp, "it must differ from ip (" + nsCidr.address()
                        + "): the two ends of the veth pair need their own addresses");
            }
        }
        return builder()
                .namespace(ns)
                .veth(Names.HOST, HOST_VETH, ns, NAMESPACE_VETH)
                .address(Names.HOST, HOST_VETH, hostCidr.toString())
                .address(ns, NAMESPACE_VETH, nsCidr.toString())
                .route(ns, "default", hostCidr.address().toString())
                .build();
    }

    /** Starts an empty spec; the {@code host} namespace is always there. */
    public static Builder builder() {
        return new Builder();
    }

    /** The validated topology. */
    public Topology topology() {
        return topology;
    }

    /** The user's namespaces, without {@code host}. */
    public List<String> namespaceNames() {
        return topology.namespaces();
    }

    @Override
    public String toString() {
        return "LabSpec" + topology;
    }

    /** Collects a lab's elements; {@link #build()} validates them all at once. */
    public static final class Builder {
        private final List<String> namespaces = new ArrayList<>();
        private final List<Topology.Veth> veths = new ArrayList<>();
        private final List<Topology.AddressSpec> addresses = new ArrayList<>();
        private final List<Topology.RouteSpec> routes = new ArrayList<>();

        private Builder() {
        }

        /** Adds a namespace. */
        public Builder namespace(String name) {
            namespaces.add(name);
            return this;
        }

        /** Adds a veth pair with one end, {@code ifaceA}, in {@code nsA} and the other in {@code nsB}. */
        public Builder veth(String nsA, String ifaceA, String nsB, String ifaceB) {
            veths.add(new Topology.Veth(new Topology.End(nsA, ifaceA), new Topology.End(nsB, ifaceB)));
            return this;
        }

        /** Puts {@code cidr} (a prefix may follow, {@code /24} when absent) on {@code iface} in {@code ns}. */
        public Builder address(String ns, String iface, String cidr) {
            addresses.add(new Topology.AddressSpec(ns, iface, Ipv4Cidr.parseHost("address of " + ns + ":" + iface, cidr)));
            return this;
        }

        /** Adds a route in {@code ns} to {@code destination} ({@code default} or a network) via the gateway {@code via}. */
        public Builder route(String ns, String destination, String via) {
            return route(ns, destination, via, null);
        }

        /**
         * Adds a route in {@code ns} to {@code destination}; {@code via} may be {@code null} for an
         * on-link route, and {@code dev} {@code null} to let the kernel pick the interface.
         */
        public Builder route(String ns, String destination, String via, String dev) {
            String element = "route in " + ns;
            routes.add(new Topology.RouteSpec(ns, Ipv4Cidr.parseNetwork(element, destination),
                    via == null ? null : Ipv4Address.parse(element + " to " + destination + " via", via), dev));
            return this;
        }

        /**
         * Validates and freezes the spec.
         *
         * @throws InvalidLabSpecException naming the element, the value and the rule
         */
        public LabSpec build() {
            return new LabSpec(new Topology(namespaces, veths, addresses, routes));
        }
    }
}
