package dev.netnslab;

import dev.netnslab.backend.Backend;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.internal.topology.IpAddress;
import dev.netnslab.internal.topology.IpCidr;
import dev.netnslab.internal.topology.MacAddress;
import dev.netnslab.internal.topology.Names;
import dev.netnslab.internal.topology.Topology;
import dev.netnslab.internal.topology.TopologyValidator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a lab contains: namespaces, links, devices, addresses, routes and settings. A spec is immutable and
 * validated when it is built, so an invalid one never reaches the kernel.
 *
 * <p>Every lab has a namespace called {@value Names#HOST} that plays the host (the VM in a
 * hand-built lab). It is a sandbox of the lab's own, so a lab never changes the machine's real routing.
 *
 * <pre>{@code
 * LabSpec seed = LabSpec.singleNamespace("netns1", "10.200.1.1", null);   // one namespace on a veth pair
 *
 * LabSpec custom = LabSpec.builder()
 *         .namespace("netns1")
 *         .veth("host", "veth1", "netns1", "veth2")
 *         .address("host", "veth1", "10.200.1.254/24")
 *         .address("netns1", "veth2", "10.200.1.1/24")
 *         .route("netns1", "default", "10.200.1.254")
 *         .build();
 *
 * LabSpec twoNodes = LabSpec.builder()                               // two VMs with containers
 *         .node("node1", "10.0.0.10/24", "172.16.0.1/24")
 *         .node("node2", "10.0.0.20/24", "172.16.1.1/24")
 *         .container("c1", "node1", "172.16.0.2/24")
 *         .container("c2", "node2", "172.16.1.2/24")
 *         .route("node1", "172.16.1.0/24", "10.0.0.20")
 *         .route("node2", "172.16.0.0/24", "10.0.0.10")
 *         .build();
 *
 * LabSpec calicoPod = LabSpec.builder()                              // a /32 pod behind proxy ARP
 *         .namespace("node").namespace("pod")
 *         .veth("node", "cali1", "pod", "eth0")
 *         .proxyArp("node", "cali1", true)
 *         .route("node", "10.65.0.2", null, "cali1")
 *         .address("pod", "eth0", "10.65.0.2/32")
 *         .route("pod", "169.254.1.1", null, "eth0")
 *         .route("pod", "default", "169.254.1.1", "eth0")
 *         .build();
 * }</pre>
 *
 * <p>Beyond namespaces, veths, addresses (IPv4 and IPv6) and routes (with {@link RouteOptions},
 * blackholes and policy rules), a spec holds bridges and their ports, VXLAN devices
 * ({@link VxlanOptions}), macvlan, ipvlan, VLAN and VRF devices, MACs, permanent neighbour and FDB
 * entries, per-namespace sysctls, iptables rules and nft scripts, and per-interface MTU, rate (tbf),
 * random loss (iptables' statistic match) and delay (netem, where the kernel has it). Validation
 * refuses only what the kernel would refuse or what can never work. {@code docs/topology.md} lists
 * every builder method and what validation checks.
 */
public final class LabSpec {

    /** The host-side end of the single-namespace lab's veth pair. */
    public static final String HOST_VETH = "veth1";
    /** The namespace-side end of the single-namespace lab's veth pair. */
    public static final String NAMESPACE_VETH = "veth2";
    /** The bridge in {@code host} that joins the {@code eth0} of every {@linkplain Builder#node node}: the lab's underlay switch. */
    public static final String UNDERLAY_BRIDGE = "underlay";
    /** The bridge a {@linkplain Builder#node(String, String, String) node} gets for its containers. */
    public static final String NODE_BRIDGE = "br0";
    /** The interface of a node on the underlay, and of a container on its bridge. */
    private static final String ETH0 = "eth0";


    private final Topology topology;

    private LabSpec(Topology topology) {
        this.topology = TopologyValidator.validate(topology);
    }

    /**
     * The single-namespace lab: namespace {@code ns} joined to the host by {@code veth1}/{@code veth2},
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
        IpCidr nsCidr = IpCidr.parseHost("ip", ip);
        IpCidr hostCidr = TopologyValidator.hostAddress(nsCidr, hostIp);
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

    /** The validated topology, for the engine; internal packages reach it through {@code ApiBridge}. */
    Topology topology() {
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

    /**
     * Collects a lab's elements; {@link #build()} validates them all at once. Elements refer to
     * namespaces by their logical names, {@code host} being the lab's host side. Calls that set a
     * value (a sysctl, an MTU, a rate...) may be repeated: the later call wins.
     */
    public static final class Builder {
        private final List<String> namespaces = new ArrayList<>();
        private final List<Topology.Veth> veths = new ArrayList<>();
        private final List<Topology.AddressSpec> addresses = new ArrayList<>();
        private final List<Topology.RouteSpec> routes = new ArrayList<>();
        private final List<Topology.BridgeSpec> bridges = new ArrayList<>();
        private final List<Topology.PortSpec> ports = new ArrayList<>();
        private final List<Topology.VxlanSpec> vxlans = new ArrayList<>();
        private final Map<List<String>, Topology.SysctlSpec> sysctls = new LinkedHashMap<>();
        private final Map<Topology.End, Topology.LinkSettings> links = new LinkedHashMap<>();
        private final List<Topology.IptablesRule> iptables = new ArrayList<>();
        private final List<Topology.NftScript> nftScripts = new ArrayList<>();
        private final List<Topology.RuleSpec> rules = new ArrayList<>();
        private final List<Topology.NeighbourSpec> neighbours = new ArrayList<>();
        private final List<Topology.FdbSpec> fdbs = new ArrayList<>();
        private final List<Topology.DeviceSpec> devices = new ArrayList<>();
        /** Containers, kept to give each its default route at {@link #build()}. */
        private final List<ContainerSpec> containers = new ArrayList<>();
        private boolean underlay;

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

        /**
         * Puts {@code cidr} on {@code iface} in {@code ns}: an IPv4 address ({@code /24} when no prefix
         * is given) or an IPv6 one ({@code /64}). Any prefix the kernel takes is fine, /31 and /32
         * (/127, /128) included, and so are one address on several interfaces and subnets that overlap.
         * IPv6 addresses are added {@code nodad}; see {@link AddressOptions}.
         */
        public Builder address(String ns, String iface, String cidr) {
            return address(ns, iface, cidr, AddressOptions.none());
        }

        /** Like {@link #address(String, String, String)}, with {@link AddressOptions} such as {@code noprefixroute} or IPv6 DAD. */
        public Builder address(String ns, String iface, String cidr, AddressOptions options) {
            addresses.add(new Topology.AddressSpec(ns, iface, IpCidr.parseHost("address of " + ns + ":" + iface, cidr),
                    options.isDad(), options.isNoPrefixRoute()));
            return this;
        }

        /**
         * Adds a route in {@code ns} to {@code destination} via the gateway {@code via}. The destination is
         * {@code default}, a network ({@code 10.0.0.0/8}, {@code fd00:2::/64}) or a single address; {@code default}
         * is IPv6's {@code ::/0} when the gateway is IPv6.
         */
        public Builder route(String ns, String destination, String via) {
            return route(ns, destination, via, null, RouteOptions.none());
        }

        /**
         * Adds a route in {@code ns} to {@code destination}; {@code via} may be {@code null} for a
         * device route (scope link), and {@code dev} {@code null} to let the kernel pick the interface.
         * A gateway must be reachable directly: inside one of the namespace's subnets, covered by a
         * device route (Calico's {@code route("pod", "169.254.1.1", null, "eth0")}), or on-link (see
         * {@link RouteOptions#onLink()}); an IPv6 link-local gateway needs {@code dev}.
         */
        public Builder route(String ns, String destination, String via, String dev) {
            return route(ns, destination, via, dev, RouteOptions.none());
        }

        /** Like {@link #route(String, String, String, String)}, with {@link RouteOptions}: on-link, scope, src, metric, table, MTU. */
        public Builder route(String ns, String destination, String via, String dev, RouteOptions options) {
            String element = "route in " + ns;
            IpAddress gateway = via == null ? null : IpAddress.parse(element + " to " + destination + " via", via);
            routes.add(new Topology.RouteSpec(ns, destination(element, destination, gateway), gateway, dev, options.isOnLink(),
                    options.scopeName(), src(element + " to " + destination + " src", options.srcText()),
                    options.metricValue(), options.tableValue(), options.mtuValue(), false));
            return this;
        }

        /** Adds a blackhole route in {@code ns}: packets to {@code destination} are dropped silently. */
        public Builder blackhole(String ns, String destination) {
            return blackhole(ns, destination, RouteOptions.none());
        }

        /** Like {@link #blackhole(String, String)}, in a table or with a metric ({@link RouteOptions}). */
        public Builder blackhole(String ns, String destination, RouteOptions options) {
            String element = "blackhole route in " + ns;
            routes.add(new Topology.RouteSpec(ns, destination(element, destination, null), null, null, options.isOnLink(),
                    options.scopeName(), src(element + " src", options.srcText()), options.metricValue(),
                    options.tableValue(), options.mtuValue(), true));
            return this;
        }

        private static IpCidr destination(String element, String destination, IpAddress via) {
            if ("default".equals(destination) && via != null && via.isIpv6()) {
                return IpCidr.defaultRoute(IpAddress.Family.IPV6);
            }
            return IpCidr.parseNetwork(element, destination);
        }

        private static IpAddress src(String element, String text) {
            return text == null ? null : IpAddress.parse(element, text);
        }

        /**
         * Adds a policy routing rule in {@code ns} ({@code ip rule add from FROM to TO lookup TABLE}):
         * packets from {@code from} to {@code to} (either may be {@code null}, meaning any) look up
         * routing table {@code table}. The kernel numbers the rule.
         */
        public Builder rule(String ns, String from, String to, long table) {
            return rule(ns, -1, from, to, table);
        }

        /** Like {@link #rule(String, String, String, long)}, at {@code priority} (lower is consulted first). */
        public Builder rule(String ns, int priority, String from, String to, long table) {
            String element = "rule in " + ns;
            rules.add(new Topology.RuleSpec(ns, priority, from == null ? null : IpCidr.parseNetwork(element + " from", from),
                    to == null ? null : IpCidr.parseNetwork(element + " to", to), table));
            return this;
        }

        /** Sets the MAC address of {@code iface} in {@code ns} ({@code ip link set IFACE address MAC}), such as {@code ee:ee:ee:ee:ee:ee}. */
        public Builder mac(String ns, String iface, String mac) {
            String parsed = MacAddress.parseInterfaceAddress("mac of " + ns + ":" + iface, mac);
            return link(ns, iface, l -> l.withMac(parsed));
        }

        /**
         * Adds a permanent neighbour entry in {@code ns}: {@code ip} (IPv4 or IPv6) is at {@code mac} on
         * {@code iface} ({@code ip neigh add IP lladdr MAC dev IFACE nud permanent}), so it is never resolved.
         */
        public Builder neighbour(String ns, String iface, String ip, String mac) {
            String element = "neighbour in " + ns + ":" + iface;
            neighbours.add(new Topology.NeighbourSpec(ns, iface, IpAddress.parse(element, ip), MacAddress.parse(element + " mac", mac)));
            return this;
        }

        /**
         * Adds a permanent forwarding database entry in {@code ns}: frames for {@code mac} leave through
         * {@code iface}. On a VXLAN device, {@code dstIp} is the underlay address of the VTEP behind that
         * MAC ({@code bridge fdb append MAC dev IFACE dst IP self permanent}); on a bridge port, pass
         * {@code null} ({@code bridge fdb add MAC dev IFACE master static}).
         */
        public Builder fdb(String ns, String iface, String mac, String dstIp) {
            String element = "fdb entry in " + ns + ":" + iface;
            fdbs.add(new Topology.FdbSpec(ns, iface, MacAddress.parse(element + " mac", mac),
                    dstIp == null ? null : IpAddress.parse(element + " dstIp", dstIp)));
            return this;
        }

        /** Adds a bridge called {@code name} in namespace {@code ns}. */
        public Builder bridge(String ns, String name) {
            bridges.add(new Topology.BridgeSpec(ns, name));
            return this;
        }

        /** Adds a bridge in {@code ns} with the address {@code cidr}, the gateway of what hangs off it. */
        public Builder bridge(String ns, String name, String cidr) {
            return bridge(ns, name).address(ns, name, cidr);
        }

        /**
         * Plugs namespace {@code ns} into {@code bridge} of {@code bridgeNs}: a veth pair with
         * {@code iface} in {@code ns} and {@code peer} in {@code bridgeNs}, enslaved to the bridge.
         */
        public Builder port(String ns, String iface, String bridgeNs, String bridge, String peer) {
            veth(ns, iface, bridgeNs, peer);
            return master(bridgeNs, peer, bridge);
        }

        /** Enslaves the existing interface {@code iface} of {@code ns} (a veth end, a VXLAN device) to {@code bridge} of the same namespace. */
        public Builder master(String ns, String iface, String bridge) {
            ports.add(new Topology.PortSpec(ns, iface, bridge));
            return this;
        }

        /**
         * Adds a VXLAN device {@code name} in {@code ns} with network identifier {@code vni}, sending
         * over the underlay interface {@code dev} to the {@code remotes} (UDP port 4789). Enslave it
         * to a bridge with {@link #master} to stretch that bridge across namespaces. Without remotes,
         * the device sends only where {@link #fdb} entries say (Flannel's way).
         */
        public Builder vxlan(String ns, String name, int vni, String dev, String... remotes) {
            return vxlan(ns, name, vni, dev, VxlanOptions.none(), remotes);
        }

        /** Like {@link #vxlan(String, String, int, String, String...)}, with {@link VxlanOptions}: UDP port, no learning, local address. */
        public Builder vxlan(String ns, String name, int vni, String dev, VxlanOptions options, String... remotes) {
            String element = "vxlan " + ns + ":" + name;
            List<IpAddress> parsed = new ArrayList<>();
            for (String remote : remotes) {
                parsed.add(IpAddress.parse(element + " remote", remote));
            }
            IpAddress local = options.localText() == null ? null : IpAddress.parse(element + " local", options.localText());
            vxlans.add(new Topology.VxlanSpec(ns, name, vni, dev, parsed, options.portNumber(), options.isLearning(), local));
            return this;
        }

        /**
         * Adds a macvlan device {@code name} in {@code ns} on {@code parent} of {@code parentNs}, in
         * {@code mode} ({@code bridge}, {@code private}, {@code vepa}, {@code passthru} or {@code source}), as
         * the CNI macvlan plugin gives a pod. A device in another namespace than its parent needs a veth
         * end as parent.
         */
        public Builder macvlan(String ns, String name, String parentNs, String parent, String mode) {
            devices.add(new Topology.DeviceSpec(Topology.DeviceKind.MACVLAN, ns, name, parentNs, parent, mode, 0));
            return this;
        }

        /**
         * Adds an ipvlan device {@code name} in {@code ns} on {@code parent} of {@code parentNs}, in
         * {@code mode} {@code l2}, {@code l3} or {@code l3s}. Needs a kernel with ipvlan: without it, the
         * lab fails to build with a message that says so, and nothing is left behind.
         */
        public Builder ipvlan(String ns, String name, String parentNs, String parent, String mode) {
            devices.add(new Topology.DeviceSpec(Topology.DeviceKind.IPVLAN, ns, name, parentNs, parent, mode, 0));
            return this;
        }

        /**
         * Adds an 802.1Q VLAN device {@code name} on {@code parent} of the same namespace, tagging with
         * {@code id} (0-4094). Needs a kernel with 802.1Q support, like {@link #ipvlan}.
         */
        public Builder vlan(String ns, String name, String parent, int id) {
            devices.add(new Topology.DeviceSpec(Topology.DeviceKind.VLAN, ns, name, ns, parent, null, id));
            return this;
        }

        /**
         * Adds a VRF device {@code name} in {@code ns} bound to routing table {@code table}; enslave
         * interfaces to it with {@link #master}. Needs a kernel with VRF support, like {@link #ipvlan}.
         */
        public Builder vrf(String ns, String name, long table) {
            devices.add(new Topology.DeviceSpec(Topology.DeviceKind.VRF, ns, name, null, null, null, table));
            return this;
        }

        /** Sets the hairpin flag of bridge port {@code iface}: frames may leave by the port they came in. */
        public Builder hairpin(String ns, String iface, boolean on) {
            return link(ns, iface, l -> l.withHairpin(on));
        }

        /** Sets the isolated flag of bridge port {@code iface}: it exchanges no frames with other isolated ports. */
        public Builder isolated(String ns, String iface, boolean on) {
            return link(ns, iface, l -> l.withIsolated(on));
        }

        /** Sets the {@code net.*} sysctl {@code key} to {@code value} inside {@code ns} (never on the machine). */
        public Builder sysctl(String ns, String key, String value) {
            sysctls.put(List.of(ns, String.valueOf(key)), new Topology.SysctlSpec(ns, key, value));
            return this;
        }

        /** Turns IPv4 forwarding on or off in {@code ns} ({@code net.ipv4.ip_forward}). */
        public Builder ipForward(String ns, boolean on) {
            return sysctl(ns, "net.ipv4.ip_forward", on ? "1" : "0");
        }

        /** Turns IPv6 forwarding on or off in {@code ns} ({@code net.ipv6.conf.all.forwarding}). */
        public Builder ipv6Forward(String ns, boolean on) {
            return sysctl(ns, "net.ipv6.conf.all.forwarding", on ? "1" : "0");
        }

        /**
         * Turns proxy ARP on or off for {@code iface} in {@code ns}: the interface answers ARP requests
         * for any address the namespace routes out of another interface, as Calico's node does on each
         * {@code cali*} veth. On also sets {@code proxy_delay} to 0, as Calico does; the kernel's
         * default delays each answer by up to 0.8 s.
         */
        public Builder proxyArp(String ns, String iface, boolean on) {
            // Slashes, because interface names may hold dots (flannel.1) and sysctl keys use dots as separators.
            sysctl(ns, "net/ipv4/conf/" + iface + "/proxy_arp", on ? "1" : "0");
            return on ? sysctl(ns, "net/ipv4/neigh/" + iface + "/proxy_delay", "0") : this;
        }

        /** Sets reverse-path filtering in {@code ns} for all interfaces: 0 off, 1 strict, 2 loose. */
        public Builder rpFilter(String ns, int mode) {
            sysctl(ns, "net.ipv4.conf.all.rp_filter", String.valueOf(mode));
            return sysctl(ns, "net.ipv4.conf.default.rp_filter", String.valueOf(mode));
        }

        /** Adds an iptables rule in {@code ns}: the arguments after {@code iptables}, as an argv. */
        public Builder iptables(String ns, String... args) {
            iptables.add(new Topology.IptablesRule(ns, List.of(args)));
            return this;
        }

        /** Adds source NAT in {@code ns}: packets from {@code sourceSubnet} leaving through {@code outIface} get its address. */
        public Builder masquerade(String ns, String sourceSubnet, String outIface) {
            IpCidr parsed = IpCidr.parseNetwork("masquerade source in " + ns, sourceSubnet);
            if (parsed.address().isIpv6()) {
                throw new InvalidLabSpecException("masquerade source in " + ns, sourceSubnet, "masquerade(...) adds an"
                        + " iptables rule, which is IPv4's; for IPv6 NAT, load an nft script with nft(...) (table ip6 nat)");
            }
            String subnet = parsed.toString();
            return iptables(ns, "-t", "nat", "-A", "POSTROUTING", "-s", subnet, "-o", outIface, "-j", "MASQUERADE");
        }

        /** Loads an nft script in {@code ns} ({@code nft -f -}). */
        public Builder nft(String ns, String script) {
            nftScripts.add(new Topology.NftScript(ns, script));
            return this;
        }

        /** Sets the MTU of {@code iface} in {@code ns}. */
        public Builder mtu(String ns, String iface, int mtu) {
            return link(ns, iface, l -> l.withMtu(mtu));
        }

        /** Limits the egress rate of {@code iface} in {@code ns} with a tbf qdisc, e.g. {@code 10mbit}. */
        public Builder rate(String ns, String iface, String rate) {
            return link(ns, iface, l -> l.withRate(rate));
        }

        /** Drops {@code percent} (0-100) of the IPv4 packets leaving {@code iface} at random (iptables' statistic match). */
        public Builder loss(String ns, String iface, double percent) {
            return link(ns, iface, l -> l.withLoss(percent));
        }

        /**
         * Delays the packets leaving {@code iface}. Needs the netem qdisc: on a kernel without it the
         * lab fails to build with a message that says so, and nothing is left behind.
         */
        public Builder delay(String ns, String iface, java.time.Duration delay) {
            return link(ns, iface, l -> l.withDelay(delay));
        }

        private Builder link(String ns, String iface, java.util.function.UnaryOperator<Topology.LinkSettings> change) {
            links.compute(new Topology.End(ns, iface),
                    (end, old) -> change.apply(old == null ? Topology.LinkSettings.none(ns, iface) : old));
            return this;
        }

        /**
         * Adds a node, a namespace that plays a VM: its {@code eth0} is plugged into the lab's
         * underlay switch (bridge {@value LabSpec#UNDERLAY_BRIDGE} in {@code host}) with address
         * {@code underlayCidr}, and IPv4 forwarding is on.
         */
        public Builder node(String name, String underlayCidr) {
            addNode(name, underlayCidr, null);
            return this;
        }

        /** A {@link #node(String, String) node} with a bridge {@value LabSpec#NODE_BRIDGE} addressed {@code bridgeCidr} for its containers. */
        public Builder node(String name, String underlayCidr, String bridgeCidr) {
            addNode(name, underlayCidr, bridgeCidr);
            return this;
        }

        /** A {@link #container(String, String, String, String) container} on {@code node}'s bridge {@value LabSpec#NODE_BRIDGE}. */
        public Builder container(String name, String node, String cidr) {
            return container(name, node, NODE_BRIDGE, cidr);
        }

        /**
         * Adds a container: namespace {@code name} whose {@code eth0} (address {@code cidr}) is a
         * port of {@code bridge} in {@code bridgeNs}, through the peer {@code veth-<name>}. When
         * the bridge has an address in the container's subnet, it is the container's default gateway.
         */
        public Builder container(String name, String bridgeNs, String bridge, String cidr) {
            addContainer(name, bridgeNs, bridge, cidr);
            return this;
        }

        /**
         * Validates and freezes the spec.
         *
         * @throws InvalidLabSpecException naming the element, the value and the rule
         */
        public LabSpec build() {
            List<Topology.RouteSpec> allRoutes = new ArrayList<>(routes);
            allRoutes.addAll(gatewayRoutes());
            return new LabSpec(new Topology(namespaces, veths, addresses, allRoutes, bridges, ports, vxlans,
                    new ArrayList<>(sysctls.values()), new ArrayList<>(links.values()), iptables, nftScripts,
                    rules, neighbours, fdbs, devices));
        }
            private void addNode(String name, String underlayCidr, String bridgeCidr) {
            String peer = peerName("node", name);
            if (!underlay) {
                bridge(Names.HOST, UNDERLAY_BRIDGE);
                underlay = true;
            }
            namespace(name)
                    .port(name, ETH0, Names.HOST, UNDERLAY_BRIDGE, peer)
                    .address(name, ETH0, underlayCidr)
                    .ipForward(name, true);
            if (bridgeCidr != null) {
                bridge(name, NODE_BRIDGE, bridgeCidr);
            }
        }

        private void addContainer(String name, String bridgeNs, String bridge, String cidr) {
            String peer = peerName("container", name);
            IpCidr parsed = IpCidr.parseHost("address of container " + name, cidr);
            namespace(name)
                    .port(name, ETH0, bridgeNs, bridge, peer)
                    .address(name, ETH0, parsed.toString());
            containers.add(new ContainerSpec(name, bridgeNs, bridge, parsed));
        }

        /**
         * Default routes for containers whose bridge has an address in their subnet, unless the user
         * routed the container's default already. Computed at build time so that the order of calls
         * (bridge before or after container) does not matter.
         */
        private List<Topology.RouteSpec> gatewayRoutes() {
            List<Topology.RouteSpec> result = new ArrayList<>();
            for (ContainerSpec container : containers) {
                boolean routed = routes.stream().anyMatch(r -> r.namespace().equals(container.name()) && r.destination().isDefault()
                        && r.destination().family() == container.cidr().family());
                addresses.stream()
                        .filter(a -> a.namespace().equals(container.bridgeNs()) && a.iface().equals(container.bridge()))
                        .filter(a -> a.cidr().subnet().equals(container.cidr().subnet()))
                        .findFirst()
                        .filter(gateway -> !routed)
                        .ifPresent(gateway -> result.add(new Topology.RouteSpec(container.name(),
                                IpCidr.defaultRoute(gateway.cidr().family()), gateway.cidr().address(), null)));
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

    private record ContainerSpec(String name, String bridgeNs, String bridge, IpCidr cidr) {
    }
}
