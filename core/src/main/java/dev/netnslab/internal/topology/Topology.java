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
 * @param addresses  interface addresses, IPv4 and IPv6; the first IPv4 address of a namespace is its primary address
 * @param routes     routes, added after every address is in place
 * @param bridges    bridge devices, each inside one namespace
 * @param ports      interfaces enslaved to a bridge (or a VRF) of their own namespace
 * @param vxlans     VXLAN devices
 * @param sysctls    per-namespace sysctls ({@code net.*} keys only: the others are machine-wide)
 * @param links      per-interface MTU, MAC, bridge port flags, rate, delay and loss
 * @param iptables   iptables rules, each an argv after {@code iptables}, applied in order
 * @param nftScripts nft scripts, each fed to {@code nft -f -} in its namespace
 * @param rules      policy routing rules ({@code ip rule})
 * @param neighbours permanent neighbour (ARP/NDP) entries
 * @param fdbs       permanent forwarding database entries of VXLAN devices and bridge ports
 * @param devices    macvlan, ipvlan, VLAN and VRF devices
 * @param startups   programs run inside namespaces once the lab is built, in order (a topology file's
 *                   startup scripts and exec commands)
 */
public record Topology(
        List<String> namespaces,
        List<Veth> veths,
        List<AddressSpec> addresses,
        List<RouteSpec> routes,
        List<BridgeSpec> bridges,
        List<PortSpec> ports,
        List<VxlanSpec> vxlans,
        List<SysctlSpec> sysctls,
        List<LinkSettings> links,
        List<IptablesRule> iptables,
        List<NftScript> nftScripts,
        List<RuleSpec> rules,
        List<NeighbourSpec> neighbours,
        List<FdbSpec> fdbs,
        List<DeviceSpec> devices,
        List<StartupSpec> startups) {

    /** A topology that runs nothing once it is built. */
    public Topology(
            List<String> namespaces,
            List<Veth> veths,
            List<AddressSpec> addresses,
            List<RouteSpec> routes,
            List<BridgeSpec> bridges,
            List<PortSpec> ports,
            List<VxlanSpec> vxlans,
            List<SysctlSpec> sysctls,
            List<LinkSettings> links,
            List<IptablesRule> iptables,
            List<NftScript> nftScripts,
            List<RuleSpec> rules,
            List<NeighbourSpec> neighbours,
            List<FdbSpec> fdbs,
            List<DeviceSpec> devices) {
        this(
                namespaces,
                veths,
                addresses,
                routes,
                bridges,
                ports,
                vxlans,
                sysctls,
                links,
                iptables,
                nftScripts,
                rules,
                neighbours,
                fdbs,
                devices,
                List.of());
    }

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
        rules = List.copyOf(rules);
        neighbours = List.copyOf(neighbours);
        fdbs = List.copyOf(fdbs);
        devices = List.copyOf(devices);
        startups = List.copyOf(startups);
    }

    /** One end of a link: an interface name inside a namespace. */
    public record End(String namespace, String iface) {
        @Override
        public String toString() {
            return namespace + ":" + iface;
        }
    }

    /**
     * netem's settings beside the delay: the delay's jitter and the shares of packets duplicated,
     * corrupted and reordered, 0 when unset.
     */
    public record Netem(Duration jitter, double duplicate, double corrupt, double reorder) {
        public static final Netem NONE = new Netem(Duration.ZERO, 0, 0, 0);
    }

    /**
     * What a link does to the packets that arrive on it: a rate (tbf on an ifb device the arriving
     * packets are redirected to) and a share of IPv4 packets dropped at random.
     *
     * @param rate        the rate, or {@code null}
     * @param lossPercent 0-100 (0 = none)
     */
    public record Inbound(String rate, double lossPercent) {
        public static final Inbound NONE = new Inbound(null, 0);
    }

    /** A veth pair, {@code a} and {@code b} being its two ends. */
    public record Veth(End a, End b) {}

    /**
     * An address on an interface.
     *
     * @param dad           IPv6 only: run duplicate address detection (the build then waits until the
     *                      address is no longer tentative); otherwise the address is added {@code nodad}
     * @param noPrefixRoute add no route to the address's subnet ({@code noprefixroute}), as the CNI
     *                      ptp plugin leaves the pod
     */
    public record AddressSpec(String namespace, String iface, IpCidr cidr, boolean dad, boolean noPrefixRoute) {

        public AddressSpec(String namespace, String iface, IpCidr cidr) {
            this(namespace, iface, cidr, false, false);
        }
    }

    /**
     * A route in a namespace.
     *
     * @param destination {@code 0.0.0.0/0} or {@code ::/0} for the default route, or a network
     * @param via         the gateway, or {@code null} for a device route
     * @param dev         the outgoing interface, or {@code null} to let the kernel pick
     * @param onLink      take the gateway as directly reachable on {@code dev}, whatever the subnets say
     * @param scope       {@code global}, {@code link}, {@code host}... as {@code ip} writes it, or {@code null}
     * @param src         the preferred source address, or {@code null}
     * @param metric      the metric (priority), or -1 for the kernel's default (0 for IPv4, 1024 for IPv6)
     * @param table       the routing table, or 0 for {@code main}
     * @param mtu         the path MTU of the route, or 0 for none
     * @param type        {@link RouteType#UNICAST}, or a route that refuses what matches it
     */
    public record RouteSpec(
            String namespace,
            IpCidr destination,
            IpAddress via,
            String dev,
            boolean onLink,
            String scope,
            IpAddress src,
            long metric,
            long table,
            int mtu,
            RouteType type) {

        /** A plain route: no options. */
        public RouteSpec(String namespace, IpCidr destination, IpAddress via, String dev) {
            this(namespace, destination, via, dev, false, null, null, -1, 0, 0, RouteType.UNICAST);
        }

        /** Whether the route refuses what matches it ({@code blackhole}, {@code unreachable}, {@code prohibit}). */
        public boolean refuses() {
            return type != RouteType.UNICAST;
        }

        /** The table as {@code ip} counts it: {@code main} is 254. */
        public long effectiveTable() {
            return table == 0 ? 254 : table;
        }

        /** The metric the kernel gives the route: IPv4 defaults to 0 and IPv6 to 1024. */
        public long effectiveMetric() {
            return metric >= 0 ? metric : destination.family() == IpAddress.Family.IPV6 ? 1024 : 0;
        }
    }

    /** What a route does with the packets it matches, as {@code ip route} types it. */
    public enum RouteType {
        /** Forwards them, via a gateway or out of a device. */
        UNICAST,
        /** Drops them silently. */
        BLACKHOLE,
        /** Drops them, answering ICMP "host unreachable" (IPv6: "no route"). */
        UNREACHABLE,
        /** Drops them, answering ICMP "administratively prohibited". */
        PROHIBIT;

        /** The {@code ip route} keyword before the destination: {@code blackhole}..., empty for unicast. */
        public String keyword() {
            return this == UNICAST ? "" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A policy routing rule: packets that match {@code from} and {@code to} (either may be
     * {@code null}, meaning any) look up {@code table}.
     *
     * @param priority the rule's priority, or -1 to let the kernel number it
     */
    public record RuleSpec(String namespace, long priority, IpCidr from, IpCidr to, long table) {

        /** The family the rule is for: that of its selectors, IPv4 when it has none. */
        public IpAddress.Family family() {
            return from != null ? from.family() : to != null ? to.family() : IpAddress.Family.IPV4;
        }
    }

    /** A permanent neighbour entry: {@code ip} is at link-layer address {@code mac} on {@code iface}. */
    public record NeighbourSpec(String namespace, String iface, IpAddress ip, String mac) {}

    /**
     * A permanent forwarding database entry: frames for {@code mac} leave through {@code iface}. On a
     * VXLAN device, {@code dst} is the underlay address of the VTEP behind that MAC; on a bridge port,
     * {@code dst} is {@code null}.
     */
    public record FdbSpec(String namespace, String iface, String mac, IpAddress dst) {}

    /**
     * A Linux bridge called {@code name} inside {@code namespace}.
     *
     * @param ageingCentis     how long a learned MAC is kept, in hundredths of a second (0: never kept, so the
     *                         bridge floods every frame like a hub), or -1 for the kernel's 300 s
     * @param groupForwardMask which link-local groups 01:80:c2:00:00:0X the bridge forwards (bit X), or -1 for
     *                         the kernel's none
     */
    public record BridgeSpec(String namespace, String name, long ageingCentis, int groupForwardMask) {

        /** A bridge with the kernel's defaults. */
        public BridgeSpec(String namespace, String name) {
            this(namespace, name, -1, -1);
        }
    }

    /** Interface {@code iface} of {@code namespace} enslaved to {@code bridge} (a bridge or a VRF), which must live in the same namespace. */
    public record PortSpec(String namespace, String iface, String bridge) {}

    /**
     * A VXLAN device: layer 2 carried in UDP over {@code dev}.
     *
     * @param vni      the VXLAN network identifier, 1-16777215; devices with the same VNI form one segment
     * @param dev      the underlay interface the UDP packets leave through, or {@code null} for a device
     *                 created in the kernel's root namespace (the underlay) and placed into {@code namespace}:
     *                 how a link between two kernels is built
     * @param remotes  the underlay addresses of the other ends (unicast, head-end replication); may be
     *                 empty, when FDB entries say where each MAC lives (Flannel's way)
     * @param port     the UDP destination port, 4789 (IANA) by default; Flannel uses 8472
     * @param learning learn remote MACs from the packets that arrive ({@code nolearning} when false)
     * @param local    the source address on the underlay, or {@code null} to let the kernel pick by its routes
     * @param remotePort the UDP port the remotes are sent to when it is not {@code port} (a remote behind a
     *                 forwarded port), else 0; the device still listens on {@code port}
     */
    public record VxlanSpec(
            String namespace,
            String name,
            int vni,
            String dev,
            List<IpAddress> remotes,
            int port,
            boolean learning,
            IpAddress local,
            int remotePort) {
        public VxlanSpec {
            remotes = List.copyOf(remotes);
        }

        /** A VXLAN device that sends to its remotes on the port it listens on. */
        public VxlanSpec(
                String namespace,
                String name,
                int vni,
                String dev,
                List<IpAddress> remotes,
                int port,
                boolean learning,
                IpAddress local) {
            this(namespace, name, vni, dev, remotes, port, learning, local, 0);
        }

        /** Whether the remotes are sent to on another port than the one the device listens on. */
        public boolean sendsToOtherPort() {
            return remotePort != 0 && remotePort != port;
        }

        /** A VXLAN device that learns and lets the kernel pick its source address. */
        public VxlanSpec(String namespace, String name, int vni, String dev, List<IpAddress> remotes, int port) {
            this(namespace, name, vni, dev, remotes, port, true, null);
        }
    }

    /** The kinds of {@link DeviceSpec}. */
    public enum DeviceKind {
        MACVLAN("macvlan"),
        IPVLAN("ipvlan"),
        VLAN("vlan"),
        VRF("vrf");

        private final String type;

        DeviceKind(String type) {
            this.type = type;
        }

        /** The {@code type} word of {@code ip link add}. */
        public String type() {
            return type;
        }

        @Override
        public String toString() {
            return type;
        }
    }

    /**
     * A device stacked on another one, or a VRF.
     *
     * @param namespace       where the device lives
     * @param parentNamespace where its parent lives (macvlan and ipvlan may sit in another namespace than
     *                        their parent, as the CNI plugins put them into pods); {@code null} for a VRF
     * @param parent          the lower device; {@code null} for a VRF
     * @param mode            the macvlan or ipvlan mode ({@code bridge}, {@code l2}...), or {@code null}
     * @param number          the VLAN id, or the VRF's routing table; 0 otherwise
     */
    public record DeviceSpec(
            DeviceKind kind,
            String namespace,
            String name,
            String parentNamespace,
            String parent,
            String mode,
            long number) {}

    /**
     * A sysctl set inside one namespace, such as {@code net.ipv4.ip_forward=1}.
     *
     * @param beforeLinks set once the namespace exists and before any of its interfaces is created, as a
     *                    container runtime sets a container's sysctls; otherwise once the lab's links are up
     */
    public record SysctlSpec(String namespace, String key, String value, boolean beforeLinks) {

        /** A sysctl set once the lab's links are up. */
        public SysctlSpec(String namespace, String key, String value) {
            this(namespace, key, value, false);
        }
    }

    /**
     * How one interface behaves on the wire. Unset parts are {@code 0} or {@code null}.
     *
     * @param mtu         the MTU, or 0 to keep the default
     * @param rate        the egress rate as {@code tc} writes it ({@code 10mbit}), or {@code null}
     * @param delay       the egress delay (needs the netem qdisc), or {@code null}
     * @param lossPercent the share of outgoing IPv4 packets dropped at random, 0-100 (0 = none)
     * @param mac         the link-layer address, lower case, or {@code null} for the kernel's random one
     * @param hairpin     a bridge port's hairpin flag (frames may leave by the port they came in), or {@code null}
     * @param isolated    a bridge port's isolated flag (no frames to other isolated ports), or {@code null}
     * @param learning    whether a bridge port learns the source MACs of the frames it receives, or {@code null}
     * @param flood       whether a bridge port gets frames for unknown unicast MACs, or {@code null}
     * @param netem       netem's jitter, duplicate, corrupt and reorder ({@link Netem#NONE} when unset)
     * @param inbound     what it does to arriving packets ({@link Inbound#NONE} when unset)
     */
    public record LinkSettings(
            String namespace,
            String iface,
            int mtu,
            String rate,
            Duration delay,
            double lossPercent,
            String mac,
            Boolean hairpin,
            Boolean isolated,
            Boolean learning,
            Boolean flood,
            Netem netem,
            Inbound inbound) {

        public LinkSettings(String namespace, String iface, int mtu, String rate, Duration delay, double lossPercent) {
            this(namespace, iface, mtu, rate, delay, lossPercent, null, null, null, null, null);
        }

        public LinkSettings(
                String namespace,
                String iface,
                int mtu,
                String rate,
                Duration delay,
                double lossPercent,
                String mac,
                Boolean hairpin,
                Boolean isolated,
                Boolean learning,
                Boolean flood) {
            this(
                    namespace,
                    iface,
                    mtu,
                    rate,
                    delay,
                    lossPercent,
                    mac,
                    hairpin,
                    isolated,
                    learning,
                    flood,
                    Netem.NONE,
                    Inbound.NONE);
        }

        public LinkSettings withNetem(Netem value) {
            return new LinkSettings(
                    namespace,
                    iface,
                    mtu,
                    rate,
                    delay,
                    lossPercent,
                    mac,
                    hairpin,
                    isolated,
                    learning,
                    flood,
                    value,
                    inbound);
        }

        /** Whether the root qdisc must be netem: a delay or one of netem's other settings. */
        public boolean needsNetem() {
            return delay != null || !netem.equals(Netem.NONE);
        }

        /** The settings with nothing set, for {@code namespace}'s {@code iface}. */
        public static LinkSettings none(String namespace, String iface) {
            return new LinkSettings(namespace, iface, 0, null, null, 0);
        }

        public LinkSettings withMtu(int value) {
            return new LinkSettings(
                    namespace,
                    iface,
                    value,
                    rate,
                    delay,
                    lossPercent,
                    mac,
                    hairpin,
                    isolated,
                    learning,
                    flood,
                    netem,
                    inbound);
        }

        public LinkSettings withRate(String value) {
            return new LinkSettings(
                    namespace,
                    iface,
                    mtu,
                    value,
                    delay,
                    lossPercent,
                    mac,
                    hairpin,
                    isolated,
                    learning,
                    flood,
                    netem,
                    inbound);
        }

        public LinkSettings withDelay(Duration value) {
            return new LinkSettings(
                    namespace,
                    iface,
                    mtu,
                    rate,
                    value,
                    lossPercent,
                    mac,
                    hairpin,
                    isolated,
                    learning,
                    flood,
                    netem,
                    inbound);
        }

        public LinkSettings withLoss(double percent) {
            return new LinkSettings(
                    namespace, iface, mtu, rate, delay, percent, mac, hairpin, isolated, learning, flood, netem,
                    inbound);
        }

        public LinkSettings withMac(String value) {
            return new LinkSettings(
                    namespace,
                    iface,
                    mtu,
                    rate,
                    delay,
                    lossPercent,
                    value,
                    hairpin,
                    isolated,
                    learning,
                    flood,
                    netem,
                    inbound);
        }

        public LinkSettings withHairpin(boolean on) {
            return new LinkSettings(
                    namespace,
                    iface,
                    mtu,
                    rate,
                    delay,
                    lossPercent,
                    mac,
                    on,
                    isolated,
                    learning,
                    flood,
                    netem,
                    inbound);
        }

        public LinkSettings withIsolated(boolean on) {
            return new LinkSettings(
                    namespace, iface, mtu, rate, delay, lossPercent, mac, hairpin, on, learning, flood, netem, inbound);
        }

        public LinkSettings withLearning(boolean on) {
            return new LinkSettings(
                    namespace, iface, mtu, rate, delay, lossPercent, mac, hairpin, isolated, on, flood, netem, inbound);
        }

        public LinkSettings withFlood(boolean on) {
            return new LinkSettings(
                    namespace,
                    iface,
                    mtu,
                    rate,
                    delay,
                    lossPercent,
                    mac,
                    hairpin,
                    isolated,
                    learning,
                    on,
                    netem,
                    inbound);
        }

        public LinkSettings withInbound(Inbound value) {
            return new LinkSettings(
                    namespace,
                    iface,
                    mtu,
                    rate,
                    delay,
                    lossPercent,
                    mac,
                    hairpin,
                    isolated,
                    learning,
                    flood,
                    netem,
                    value);
        }

        /** Whether a bridge port flag is set (on or off). */
        public boolean hasPortFlags() {
            return hairpin != null || isolated != null || learning != null || flood != null;
        }
    }

    /** One iptables rule for {@code namespace}: the arguments after {@code iptables}, e.g. {@code -t nat -A POSTROUTING ...}. */
    public record IptablesRule(String namespace, List<String> args) {
        public IptablesRule {
            args = List.copyOf(args);
        }
    }

    /** An nft script for {@code namespace}, fed to {@code nft -f -} on standard input. */
    public record NftScript(String namespace, String script) {}

    /**
     * A program a lab runs inside {@code namespace} once it is built: a Kathara device's startup script
     * (its own program, read by a shell) or a containerlab node's {@code exec} command (an argv).
     *
     * @param namespace the namespace it runs in
     * @param origin    where it was written, for messages: {@code pc1.startup}, {@code lab.clab.yml line 12}
     * @param argv      the command, or for a script the shell that reads it from standard input
     * @param script    the script, or {@code null} for a command
     * @param requires  programs it starts that must be installed on the lab's machine, with the lines that start them
     */
    public record StartupSpec(
            String namespace, String origin, List<String> argv, String script, List<Requirement> requires) {
        public StartupSpec {
            argv = List.copyOf(argv);
            requires = List.copyOf(requires);
        }
    }

    /**
     * A program that a startup line starts, such as a routing daemon, and that must be installed.
     *
     * @param program the program, as {@code command -v} or {@code /etc/init.d/} knows it
     * @param where   the file and line that start it, for messages: {@code pc1.startup line 3}
     * @param text    the line as written
     */
    public record Requirement(String program, String where, String text) {}

    /** Every namespace of the lab: {@code host} first, then the user's. */
    public List<String> allNamespaces() {
        List<String> all = new ArrayList<>();
        all.add(Names.HOST);
        all.addAll(namespaces);
        return all;
    }

    /**
     * The interfaces that the lab creates in {@code namespace}, in creation order: veth ends,
     * bridges, VXLAN devices, then macvlan, ipvlan, VLAN and VRF devices.
     */
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
        devices.stream().filter(d -> d.namespace().equals(namespace)).forEach(d -> result.add(d.name()));
        return result;
    }

    /**
     * The address a namespace is known by: its first IPv4 address, or its first address when it has
     * only IPv6 ones; {@code null} when it has none.
     */
    public IpCidr primaryAddress(String namespace) {
        List<IpCidr> own = addresses.stream()
                .filter(a -> a.namespace().equals(namespace))
                .map(AddressSpec::cidr)
                .toList();
        return own.stream().filter(c -> !c.address().isIpv6()).findFirst().orElse(own.isEmpty() ? null : own.get(0));
    }

    /** The addresses the spec gives {@code namespace}, on any interface. */
    public List<AddressSpec> addressesOf(String namespace) {
        return addresses.stream().filter(a -> a.namespace().equals(namespace)).toList();
    }
}
