package dev.netnslab.internal.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a lab contains, as plain values: its namespaces (besides the implicit {@value Names#HOST}
 * sandbox), the links and devices in them, their addresses and routes, and the per-namespace
 * settings (sysctls, firewall rules, link shaping). A topology says nothing about how it is built;
 * {@link TopologyValidator} checks it and the {@code iproute} package renders it.
 *
 * @param namespaces the user's namespaces, by logical name, in creation order
 * @param veths      veth pairs, each end in a namespace (or in {@code host})
 * @param addresses  interface addresses; the first address of a namespace is its primary address
 * @param routes     routes, added after every address is in place
 * @param bridges    bridge devices, each inside one namespace
 * @param ports      interfaces enslaved to a bridge of their own namespace
 * @param vxlans     VXLAN devices
 * @param sysctls    per-namespace sysctls ({@code net.*} keys only: the others are machine-wide)
 * @param links      per-interface MTU, rate, delay and loss
 * @param iptables   iptables rules, each an argv after {@code iptables}, applied in order
 * @param nftScripts nft scripts, each fed to {@code nft -f -} in its namespace
 */
public record Topology(List<String> namespaces, List<Veth> veths, List<AddressSpec> addresses, List<RouteSpec> routes,
                       List<BridgeSpec> bridges, List<PortSpec> ports, List<VxlanSpec> vxlans, List<SysctlSpec> sysctls,
                       List<LinkSettings> links, List<IptablesRule> iptables, List<NftScript> nftScripts) {

    public Topology {
        namespaces = List.copyOf(namespaces);
        veths = List.copyOf(veths);
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        bridges = List.copyOf(bridges);
        ports = List.copyOf(ports);
        vxlans = List.copyOf(vxlans);
        sysctls = List.copyOf(sysctls);
        links = List.copyOf(links);
        iptables = List.copyOf(iptables);
        nftScripts = List.copyOf(nftScripts);
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

    /** A Linux bridge called {@code name} inside {@code namespace}. */
    public record BridgeSpec(String namespace, String name) {
    }

    /** Interface {@code iface} of {@code namespace} enslaved to {@code bridge}, which must live in the same namespace. */
    public record PortSpec(String namespace, String iface, String bridge) {
    }

    /**
     * A VXLAN device: layer 2 carried in UDP over {@code dev}. The kernel picks the source address
     * on the underlay by its routes.
     *
     * @param vni     the VXLAN network identifier, 1-16777215; devices with the same VNI form one segment
     * @param dev     the underlay interface the UDP packets leave through
     * @param remotes the underlay addresses of the other ends (unicast, head-end replication)
     * @param port    the UDP destination port, 4789 (IANA) by default
     */
    public record VxlanSpec(String namespace, String name, int vni, String dev, List<Ipv4Address> remotes, int port) {
        public VxlanSpec {
            remotes = List.copyOf(remotes);
        }
    }

    /** A sysctl set inside one namespace, such as {@code net.ipv4.ip_forward=1}. */
    public record SysctlSpec(String namespace, String key, String value) {
    }

    /**
     * How one interface behaves on the wire. Unset parts are {@code 0} or {@code null}.
     *
     * @param mtu         the MTU, or 0 to keep the default
     * @param rate        the egress rate as {@code tc} writes it ({@code 10mbit}), or {@code null}
     * @param delay       the egress delay (needs the netem qdisc), or {@code null}
     * @param lossPercent the share of outgoing IPv4 packets dropped at random, 0-100 (0 = none)
     */
    public record LinkSettings(String namespace, String iface, int mtu, String rate, Duration delay, double lossPercent) {

        /** The settings with nothing set, for {@code namespace}'s {@code iface}. */
        public static LinkSettings none(String namespace, String iface) {
            return new LinkSettings(namespace, iface, 0, null, null, 0);
        }

        public LinkSettings withMtu(int value) {
            return new LinkSettings(namespace, iface, value, rate, delay, lossPercent);
        }

        public LinkSettings withRate(String value) {
            return new LinkSettings(namespace, iface, mtu, value, delay, lossPercent);
        }

        public LinkSettings withDelay(Duration value) {
            return new LinkSettings(namespace, iface, mtu, rate, value, lossPercent);
        }

        public LinkSettings withLoss(double percent) {
            return new LinkSettings(namespace, iface, mtu, rate, delay, percent);
        }
    }

    /** One iptables rule for {@code namespace}: the arguments after {@code iptables}, e.g. {@code -t nat -A POSTROUTING ...}. */
    public record IptablesRule(String namespace, List<String> args) {
        public IptablesRule {
            args = List.copyOf(args);
        }
    }

    /** An nft script for {@code namespace}, fed to {@code nft -f -} on standard input. */
    public record NftScript(String namespace, String script) {
    }

    /** Every namespace of the lab: {@code host} first, then the user's. */
    public List<String> allNamespaces() {
        List<String> all = new ArrayList<>();
        all.add(Names.HOST);
        all.addAll(namespaces);
        return all;
    }

    /** The interfaces that the lab creates in {@code namespace}, in creation order: veth ends, bridges, VXLAN devices. */
    public List<String> interfacesOf(String namespace) {
        List<String> result = new ArrayList<>();
        for (Veth veth : veths) {
            if (veth.a().namespace().equals(namespace)) {
                result.add(veth.a().iface());
            }
            if (veth.b().namespace().equals(namespace)) {
                result.add(veth.b().iface());
            }
        }
        bridges.stream().filter(b -> b.namespace().equals(namespace)).forEach(b -> result.add(b.name()));
        vxlans.stream().filter(v -> v.namespace().equals(namespace)).forEach(v -> result.add(v.name()));
        return result;
    }

    /** The first address given to {@code namespace}, or {@code null} when it has none. */
    public Ipv4Cidr primaryAddress(String namespace) {
        return addresses.stream().filter(a -> a.namespace().equals(namespace))
                .map(AddressSpec::cidr).findFirst().orElse(null);
    }
}
