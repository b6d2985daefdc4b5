package dev.netnslab;

import dev.netnslab.internal.topology.DraftCall;
import dev.netnslab.internal.topology.Placement;
import dev.netnslab.internal.topology.SpecDraft;
import dev.netnslab.internal.topology.SpecDraft.Endpoint;
import dev.netnslab.internal.topology.Topology;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The methods of {@link LabSpec.Builder}, which is the type to use: {@code LabSpec.builder()} returns
 * one, and every method here returns it again ({@code SELF}). The builder only records what it is
 * told; {@link #build()} checks it all and reports every problem together, so a builder call never
 * throws for a bad value.
 *
 * <p>Elements refer to namespaces by their logical names, {@code host} being the lab's host side.
 * An interface is written as containerlab writes its endpoints, {@code "ns:iface"}
 * ({@code veth("host:veth1", "netns1:veth2")}); methods with three values or fewer also take the
 * namespace and the interface apart ({@code address("netns1", "veth2", "10.200.1.1/24")}). Calls that set
 * a value (a sysctl, an MTU, a rate...) may be repeated: the later call wins.
 *
 * @param <SELF> the builder's own type, {@link LabSpec.Builder}
 */
public abstract class AbstractLabSpecBuilder<SELF extends AbstractLabSpecBuilder<SELF>> {

    private final SpecDraft draft = new SpecDraft();
    private final SELF self;

    /** Only {@link LabSpec.Builder} extends this class. */
    @SuppressWarnings("unchecked")
    AbstractLabSpecBuilder() {
        this.self = (SELF) this;
    }

    private SELF record(DraftCall call) {
        draft.add(call);
        return self;
    }

    /** Adds a namespace: 1-32 characters of {@code [A-Za-z0-9_.-]}, not {@code host}. */
    public SELF namespace(String name) {
        return record(new DraftCall.Namespace(name));
    }

    /**
     * Adds a veth pair between two endpoints written {@code "ns:iface"}, both ends created in place:
     * {@code veth("host:veth1", "netns1:veth2")}.
     *
     * @param endA one end, such as {@code host:veth1}
     * @param endB the other end, such as {@code netns1:veth2}
     */
    public SELF veth(String endA, String endB) {
        return record(new DraftCall.Veth(Endpoint.written(endA), Endpoint.written(endB)));
    }

    /**
     * Adds a veth pair with one end, {@code ifaceA}, in {@code nsA} and the other in {@code nsB}.
     *
     * @deprecated four names in a row read ambiguously; use {@link #veth(String, String)}:
     *             {@code veth("host:veth1", "netns1:veth2")}
     */
    @Deprecated
    public SELF veth(String nsA, String ifaceA, String nsB, String ifaceB) {
        return record(new DraftCall.Veth(Endpoint.of(nsA, ifaceA), Endpoint.of(nsB, ifaceB)));
    }

    /**
     * Puts {@code cidr} on {@code iface} in {@code ns}: an IPv4 address ({@code /24} when no prefix
     * is given) or an IPv6 one ({@code /64}). Any prefix the kernel takes is fine, /31 and /32
     * (/127, /128) included, and so are one address on several interfaces and subnets that overlap.
     * IPv6 addresses are added {@code nodad}; see {@link AddressOptions}.
     */
    public SELF address(String ns, String iface, String cidr) {
        return address(ns, iface, cidr, AddressOptions.none());
    }

    /** Like {@link #address(String, String, String)}, with {@link AddressOptions} such as {@code noprefixroute} or IPv6 DAD. */
    public SELF address(String ns, String iface, String cidr, AddressOptions options) {
        Objects.requireNonNull(options, "options");
        return record(new DraftCall.Address(ns, iface, cidr, options.isDad(), options.isNoPrefixRoute()));
    }

    /**
     * Adds a route from {@code from} to {@code destination} via the gateway {@code via}. {@code from} is
     * the namespace ({@code "node1"}), or {@code "ns:dev"} to name the interface the route leaves
     * through as well ({@code route("pod:eth0", "default", "169.254.1.1")}). The destination is
     * {@code default}, a network ({@code 10.0.0.0/8}, {@code fd00:2::/64}) or a single address;
     * {@code default} is IPv6's {@code ::/0} when the gateway is IPv6.
     *
     * <p>A gateway must be reachable directly: inside one of the namespace's subnets, covered by a
     * device route (Calico's {@code route("pod:eth0", "169.254.1.1")}), or on-link (see
     * {@link RouteOptions#onLink()}); an IPv6 link-local gateway needs the device.
     */
    public SELF route(String from, String destination, String via) {
        return unicast(from, null, destination, via, RouteOptions.none());
    }

    /**
     * Like {@link #route(String, String, String)}, with {@link RouteOptions}: on-link, scope, src, metric,
     * table, MTU: {@code route("node1:flannel.1", "10.244.2.0/24", "10.244.2.0", RouteOptions.onLink())}.
     */
    public SELF route(String from, String destination, String via, RouteOptions options) {
        return unicast(from, null, destination, via, options);
    }

    /**
     * Adds a device route (scope link) from {@code from}, written {@code "ns:dev"}, to {@code destination}:
     * what the route matches leaves through {@code dev} without a gateway, as {@code ip route add
     * 10.65.0.2 dev cali1} does: {@code route("node:cali1", "10.65.0.2")}.
     */
    public SELF route(String from, String destination) {
        return route(from, destination, RouteOptions.none());
    }

    /**
     * Like {@link #route(String, String)}, with {@link RouteOptions}:
     * {@code route("node:veth1", "10.1.1.2", RouteOptions.scope("host"))}.
     */
    public SELF route(String from, String destination, RouteOptions options) {
        return unicast(from, null, destination, null, options);
    }

    /**
     * Adds a route in {@code ns} to {@code destination} via {@code via} (or {@code null} for a device
     * route) through {@code dev} (or {@code null} to let the kernel pick the interface).
     *
     * @deprecated four strings in a row read ambiguously; use {@link #route(String, String, String)} with
     *             {@code "ns:dev"}, {@code route("pod:eth0", "default", "169.254.1.1")}, or
     *             {@link #route(String, String)} for a device route, {@code route("node:cali1", "10.65.0.2")}
     */
    @Deprecated
    public SELF route(String ns, String destination, String via, String dev) {
        return unicast(ns, dev, destination, via, RouteOptions.none());
    }

    /**
     * Like {@link #route(String, String, String, String)}, with {@link RouteOptions}.
     *
     * @deprecated use {@link #route(String, String, String, RouteOptions)} with {@code "ns:dev"}, or
     *             {@link #route(String, String, RouteOptions)} for a device route
     */
    @Deprecated
    public SELF route(String ns, String destination, String via, String dev, RouteOptions options) {
        return unicast(ns, dev, destination, via, options);
    }

    /** Adds a blackhole route in {@code ns}: packets to {@code destination} are dropped silently. */
    public SELF blackhole(String ns, String destination) {
        return blackhole(ns, destination, RouteOptions.none());
    }

    /** Like {@link #blackhole(String, String)}, in a table or with a metric ({@link RouteOptions}). */
    public SELF blackhole(String ns, String destination, RouteOptions options) {
        return route(ns, null, destination, null, options, Topology.RouteType.BLACKHOLE);
    }

    /**
     * Adds an unreachable route in {@code ns}: packets to {@code destination} are dropped, and their sender
     * is told so with ICMP "host unreachable" ({@code ip route add unreachable DESTINATION}), where a
     * blackhole says nothing.
     */
    public SELF unreachable(String ns, String destination) {
        return unreachable(ns, destination, RouteOptions.none());
    }

    /** Like {@link #unreachable(String, String)}, in a table or with a metric ({@link RouteOptions}). */
    public SELF unreachable(String ns, String destination, RouteOptions options) {
        return route(ns, null, destination, null, options, Topology.RouteType.UNREACHABLE);
    }

    /**
     * Adds a prohibit route in {@code ns}: packets to {@code destination} are dropped, and their sender is
     * told with ICMP "communication administratively prohibited" ({@code ip route add prohibit DESTINATION}).
     */
    public SELF prohibit(String ns, String destination) {
        return prohibit(ns, destination, RouteOptions.none());
    }

    /** Like {@link #prohibit(String, String)}, in a table or with a metric ({@link RouteOptions}). */
    public SELF prohibit(String ns, String destination, RouteOptions options) {
        return route(ns, null, destination, null, options, Topology.RouteType.PROHIBIT);
    }

    private SELF unicast(String from, String dev, String destination, String via, RouteOptions options) {
        return route(from, dev, destination, via, options, Topology.RouteType.UNICAST);
    }

    private SELF route(
            String from, String dev, String destination, String via, RouteOptions options, Topology.RouteType type) {
        Objects.requireNonNull(options, "options");
        return record(new DraftCall.Route(
                from,
                dev,
                destination,
                via,
                options.isOnLink(),
                options.scopeName(),
                options.srcText(),
                options.metricValue(),
                options.tableValue(),
                options.mtuValue(),
                type));
    }

    /**
     * Adds a policy routing rule in {@code ns} ({@code ip rule add from FROM to TO lookup TABLE}):
     * packets from {@code from} to {@code to} (either may be {@code null}, meaning any) look up
     * routing table {@code table}. The kernel numbers the rule.
     */
    public SELF rule(String ns, String from, String to, long table) {
        return rule(ns, from, to, table, RuleOptions.none());
    }

    /** Like {@link #rule(String, String, String, long)}, with {@link RuleOptions}: {@code RuleOptions.priority(1000)}. */
    public SELF rule(String ns, String from, String to, long table, RuleOptions options) {
        Objects.requireNonNull(options, "options");
        return record(new DraftCall.Rule(ns, options.priorityValue(), from, to, table));
    }

    /**
     * Like {@link #rule(String, String, String, long)}, at {@code priority} (lower is consulted first;
     * -1 lets the kernel number the rule).
     *
     * @deprecated a bare number before the selectors reads ambiguously, and -1 means "none"; use
     *             {@link #rule(String, String, String, long, RuleOptions)} with {@code RuleOptions.priority(priority)}
     */
    @Deprecated
    public SELF rule(String ns, int priority, String from, String to, long table) {
        return record(new DraftCall.Rule(ns, priority == -1 ? null : Long.valueOf(priority), from, to, table));
    }

    /** Sets the MAC address of {@code iface} in {@code ns} ({@code ip link set IFACE address MAC}), such as {@code ee:ee:ee:ee:ee:ee}. */
    public SELF mac(String ns, String iface, String mac) {
        return record(new DraftCall.Mac(ns, iface, mac));
    }

    /**
     * Adds a permanent neighbour entry on the interface {@code at}, written {@code "ns:iface"}: {@code ip}
     * (IPv4 or IPv6) is at {@code mac} ({@code ip neigh add IP lladdr MAC dev IFACE nud permanent}), so it is
     * never resolved: {@code neighbour("node1:flannel.1", "10.244.2.0", "0a:58:0a:f4:02:00")}.
     */
    public SELF neighbour(String at, String ip, String mac) {
        return record(new DraftCall.Neighbour(Endpoint.written(at), ip, mac));
    }

    /**
     * Adds a permanent neighbour entry in {@code ns}: {@code ip} is at {@code mac} on {@code iface}.
     *
     * @deprecated four strings in a row read ambiguously; use {@link #neighbour(String, String, String)}:
     *             {@code neighbour("ns:iface", ip, mac)}
     */
    @Deprecated
    public SELF neighbour(String ns, String iface, String ip, String mac) {
        return record(new DraftCall.Neighbour(Endpoint.of(ns, iface), ip, mac));
    }

    /**
     * Adds a permanent forwarding database entry on the interface {@code at}, written {@code "ns:iface"}:
     * frames for {@code mac} leave through it. On a VXLAN device, {@code dstIp} is the underlay address
     * of the VTEP behind that MAC ({@code bridge fdb append MAC dev IFACE dst IP self permanent}); on a
     * bridge port, pass {@code null} ({@code bridge fdb add MAC dev IFACE master static}):
     * {@code fdb("node1:flannel.1", "0a:58:0a:f4:02:00", "10.0.0.12")}.
     */
    public SELF fdb(String at, String mac, String dstIp) {
        return record(new DraftCall.Fdb(Endpoint.written(at), mac, dstIp));
    }

    /**
     * Adds a permanent forwarding database entry in {@code ns}: frames for {@code mac} leave through
     * {@code iface}, to the VTEP {@code dstIp} on a VXLAN device ({@code null} on a bridge port).
     *
     * @deprecated four strings in a row read ambiguously; use {@link #fdb(String, String, String)}:
     *             {@code fdb("ns:iface", mac, dstIp)}
     */
    @Deprecated
    public SELF fdb(String ns, String iface, String mac, String dstIp) {
        return record(new DraftCall.Fdb(Endpoint.of(ns, iface), mac, dstIp));
    }

    /** Adds a bridge called {@code name} in namespace {@code ns}. */
    public SELF bridge(String ns, String name) {
        return record(new DraftCall.Bridge(ns, name));
    }

    /**
     * Adds a bridge called {@code name} in {@code ns} with {@link BridgeOptions}: its ageing time, the
     * link-local groups it forwards: {@code bridge("host", "hub0", BridgeOptions.ageingTime(Duration.ZERO))}.
     */
    public SELF bridge(String ns, String name, BridgeOptions options) {
        Objects.requireNonNull(options, "options");
        return record(new DraftCall.Bridge(ns, name, options.ageingTimeValue(), options.groupForwardMaskValue()));
    }

    /** Adds a bridge in {@code ns} with the address {@code cidr}, the gateway of what hangs off it. */
    public SELF bridge(String ns, String name, String cidr) {
        return bridge(ns, name).address(ns, name, cidr);
    }

    /**
     * Plugs the interface {@code end} into {@code bridge}, both written {@code "ns:iface"}: a veth pair
     * with {@code end} on one side and, next to the bridge, a peer called {@code veth-<namespace of end>}
     * enslaved to it: {@code port("netns1:eth0", "host:br0")} adds {@code netns1:eth0} and
     * {@code host:veth-netns1}. The peer's name must fit in 15 bytes, so the namespace's in 10; name
     * the peer with {@link #port(String, String, String)} otherwise.
     */
    public SELF port(String end, String bridge) {
        return record(new DraftCall.Port(Endpoint.written(end), Endpoint.written(bridge), null));
    }

    /**
     * Like {@link #port(String, String)}, with the peer next to the bridge called {@code peer}:
     * {@code port("netns1:eth0", "host:br0", "veth1")}.
     */
    public SELF port(String end, String bridge, String peer) {
        return record(new DraftCall.Port(Endpoint.written(end), Endpoint.written(bridge), peer));
    }

    /**
     * Plugs namespace {@code ns} into {@code bridge} of {@code bridgeNs}: a veth pair with
     * {@code iface} in {@code ns} and {@code peer} in {@code bridgeNs}, enslaved to the bridge.
     *
     * @deprecated five strings in a row read ambiguously; use {@link #port(String, String, String)}:
     *             {@code port("ns:iface", "bridgeNs:bridge", peer)}
     */
    @Deprecated
    public SELF port(String ns, String iface, String bridgeNs, String bridge, String peer) {
        return record(new DraftCall.Port(Endpoint.of(ns, iface), Endpoint.of(bridgeNs, bridge), peer));
    }

    /** Enslaves the existing interface {@code iface} of {@code ns} (a veth end, a VXLAN device) to {@code bridge} of the same namespace. */
    public SELF master(String ns, String iface, String bridge) {
        return record(new DraftCall.Master(ns, iface, bridge));
    }

    /**
     * Adds a VXLAN device {@code name} in {@code ns} with network identifier {@code vni}, sending
     * over the underlay interface {@code dev} to the {@code remotes} (UDP port 4789). Enslave it
     * to a bridge with {@link #master} to stretch that bridge across namespaces. Without remotes,
     * the device sends only where {@link #fdb(String, String, String) fdb} entries say (Flannel's way).
     */
    public SELF vxlan(String ns, String name, int vni, String dev, String... remotes) {
        return vxlan(ns, name, vni, dev, VxlanOptions.none(), remotes);
    }

    /** Like {@link #vxlan(String, String, int, String, String...)}, with {@link VxlanOptions}: UDP port, no learning, local address. */
    public SELF vxlan(String ns, String name, int vni, String dev, VxlanOptions options, String... remotes) {
        Objects.requireNonNull(options, "options");
        return record(new DraftCall.Vxlan(
                ns,
                name,
                vni,
                dev,
                Arrays.asList(remotes),
                options.portNumber(),
                options.isLearning(),
                options.localText()));
    }

    /**
     * Adds a macvlan device {@code device} on {@code parent}, both written {@code "ns:iface"}, in
     * {@code mode} ({@code bridge}, {@code private}, {@code vepa}, {@code passthru} or {@code source}), as
     * the CNI macvlan plugin gives a pod: {@code macvlan("pod1:eth0", "node:eth0", "bridge")}. A device in
     * another namespace than its parent needs a veth end as parent.
     */
    public SELF macvlan(String device, String parent, String mode) {
        return record(new DraftCall.Device(
                Topology.DeviceKind.MACVLAN, Endpoint.written(device), Endpoint.written(parent), mode, 0));
    }

    /**
     * Adds a macvlan device {@code name} in {@code ns} on {@code parent} of {@code parentNs}, in {@code mode}.
     *
     * @deprecated five strings in a row read ambiguously; use {@link #macvlan(String, String, String)}:
     *             {@code macvlan("ns:name", "parentNs:parent", mode)}
     */
    @Deprecated
    public SELF macvlan(String ns, String name, String parentNs, String parent, String mode) {
        return record(new DraftCall.Device(
                Topology.DeviceKind.MACVLAN, Endpoint.of(ns, name), Endpoint.of(parentNs, parent), mode, 0));
    }

    /**
     * Adds an ipvlan device {@code device} on {@code parent}, both written {@code "ns:iface"}, in
     * {@code mode} {@code l2}, {@code l3} or {@code l3s}: {@code ipvlan("pod1:eth0", "node:eth0", "l2")}.
     * Needs a kernel with ipvlan: without it, the lab fails to build with a message that says so, and
     * nothing is left behind.
     */
    public SELF ipvlan(String device, String parent, String mode) {
        return record(new DraftCall.Device(
                Topology.DeviceKind.IPVLAN, Endpoint.written(device), Endpoint.written(parent), mode, 0));
    }

    /**
     * Adds an ipvlan device {@code name} in {@code ns} on {@code parent} of {@code parentNs}, in {@code mode}.
     *
     * @deprecated five strings in a row read ambiguously; use {@link #ipvlan(String, String, String)}:
     *             {@code ipvlan("ns:name", "parentNs:parent", mode)}
     */
    @Deprecated
    public SELF ipvlan(String ns, String name, String parentNs, String parent, String mode) {
        return record(new DraftCall.Device(
                Topology.DeviceKind.IPVLAN, Endpoint.of(ns, name), Endpoint.of(parentNs, parent), mode, 0));
    }

    /**
     * Adds an 802.1Q VLAN device {@code name} on {@code parent} of the same namespace, tagging with
     * {@code id} (0-4094). Needs a kernel with 802.1Q support, like {@link #ipvlan(String, String, String) ipvlan}.
     */
    public SELF vlan(String ns, String name, String parent, int id) {
        return record(new DraftCall.Device(
                Topology.DeviceKind.VLAN, Endpoint.of(ns, name), Endpoint.of(ns, parent), null, id));
    }

    /**
     * Adds a VRF device {@code name} in {@code ns} bound to routing table {@code table}; enslave
     * interfaces to it with {@link #master}. Needs a kernel with VRF support, like
     * {@link #ipvlan(String, String, String) ipvlan}.
     */
    public SELF vrf(String ns, String name, long table) {
        return record(new DraftCall.Device(Topology.DeviceKind.VRF, Endpoint.of(ns, name), null, null, table));
    }

    /** Sets the hairpin flag of bridge port {@code iface}: frames may leave by the port they came in. */
    public SELF hairpin(String ns, String iface, boolean on) {
        return record(DraftCall.LinkSetting.hairpin(ns, iface, on));
    }

    /** Sets the isolated flag of bridge port {@code iface}: it exchanges no frames with other isolated ports. */
    public SELF isolated(String ns, String iface, boolean on) {
        return record(DraftCall.LinkSetting.isolated(ns, iface, on));
    }

    /**
     * Sets the learning flag of bridge port {@code iface}: whether the bridge learns the source MACs of the
     * frames that come in by it (on by default). Off, the bridge keeps sending frames for those MACs to every
     * port, as a hub does.
     */
    public SELF learning(String ns, String iface, boolean on) {
        return record(DraftCall.LinkSetting.learning(ns, iface, on));
    }

    /**
     * Sets the flood flag of bridge port {@code iface}: whether frames for a MAC the bridge has not learned
     * leave by it (on by default). Off, the port gets only frames for the MACs learned behind it (and
     * broadcasts).
     */
    public SELF flood(String ns, String iface, boolean on) {
        return record(DraftCall.LinkSetting.flood(ns, iface, on));
    }

    /**
     * Sets the {@code net.*} sysctl {@code key} to {@code value} inside {@code ns} once the namespace exists
     * and before any of its interfaces is created or comes up, as a container runtime sets a container's
     * sysctls. Use it for what must hold from the first packet on: with
     * {@code sysctlBeforeLinks("pc1", "net.ipv6.conf.all.disable_ipv6", "1")} (and the {@code default} key)
     * the namespace never sends an IPv6 packet, where the same sysctl set once the links are up comes after
     * their first MLD reports; {@code net.ipv4.conf.default.*} keys reach every interface the lab creates.
     */
    public SELF sysctlBeforeLinks(String ns, String key, String value) {
        return record(new DraftCall.Sysctl(ns, key, value, true));
    }

    /** Sets the {@code net.*} sysctl {@code key} to {@code value} inside {@code ns} (never on the machine). */
    public SELF sysctl(String ns, String key, String value) {
        return record(new DraftCall.Sysctl(ns, key, value));
    }

    /** Turns IPv4 forwarding on or off in {@code ns} ({@code net.ipv4.ip_forward}). */
    public SELF ipForward(String ns, boolean on) {
        return sysctl(ns, "net.ipv4.ip_forward", on ? "1" : "0");
    }

    /** Turns IPv6 forwarding on or off in {@code ns} ({@code net.ipv6.conf.all.forwarding}). */
    public SELF ipv6Forward(String ns, boolean on) {
        return sysctl(ns, "net.ipv6.conf.all.forwarding", on ? "1" : "0");
    }

    /**
     * Turns proxy ARP on or off for {@code iface} in {@code ns}: the interface answers ARP requests
     * for any address the namespace routes out of another interface, as Calico's node does on each
     * {@code cali*} veth. On also sets {@code proxy_delay} to 0, as Calico does; the kernel's
     * default delays each answer by up to 0.8 s.
     */
    public SELF proxyArp(String ns, String iface, boolean on) {
        // Slashes, because interface names may hold dots (flannel.1) and sysctl keys use dots as separators.
        sysctl(ns, "net/ipv4/conf/" + iface + "/proxy_arp", on ? "1" : "0");
        return on ? sysctl(ns, "net/ipv4/neigh/" + iface + "/proxy_delay", "0") : self;
    }

    /** Sets reverse-path filtering in {@code ns} for all interfaces: 0 off, 1 strict, 2 loose. */
    public SELF rpFilter(String ns, int mode) {
        sysctl(ns, "net.ipv4.conf.all.rp_filter", String.valueOf(mode));
        return sysctl(ns, "net.ipv4.conf.default.rp_filter", String.valueOf(mode));
    }

    /** Adds an iptables rule in {@code ns}: the arguments after {@code iptables}, as an argv. */
    public SELF iptables(String ns, String... args) {
        return record(new DraftCall.Iptables(ns, List.of(args)));
    }

    /** Adds source NAT in {@code ns}: packets from {@code sourceSubnet} (IPv4) leaving through {@code outIface} get its address. */
    public SELF masquerade(String ns, String sourceSubnet, String outIface) {
        return record(new DraftCall.Masquerade(ns, sourceSubnet, outIface));
    }

    /** Loads an nft script in {@code ns} ({@code nft -f -}). */
    public SELF nft(String ns, String script) {
        return record(new DraftCall.Nft(ns, script));
    }

    /** Sets the MTU of {@code iface} in {@code ns}. */
    public SELF mtu(String ns, String iface, int mtu) {
        return record(DraftCall.LinkSetting.mtu(ns, iface, mtu));
    }

    /** Limits the egress rate of {@code iface} in {@code ns} with a tbf qdisc, e.g. {@code 10mbit}. */
    public SELF rate(String ns, String iface, String rate) {
        return record(DraftCall.LinkSetting.rate(ns, iface, rate));
    }

    /** Drops {@code percent} (0-100) of the IPv4 packets leaving {@code iface} at random (iptables' statistic match). */
    public SELF loss(String ns, String iface, double percent) {
        return record(DraftCall.LinkSetting.loss(ns, iface, percent));
    }

    /**
     * Delays the packets leaving {@code iface}. Needs the netem qdisc: on a kernel without it the
     * lab fails to build with a message that says so, and nothing is left behind.
     */
    public SELF delay(String ns, String iface, Duration delay) {
        return record(DraftCall.LinkSetting.delay(ns, iface, delay));
    }

    /**
     * Delays the packets leaving {@code iface} by {@code delay}, give or take up to {@code jitter}
     * (at most the delay). Needs the netem qdisc, as {@link #delay(String, String, Duration)} does.
     */
    public SELF delay(String ns, String iface, Duration delay, Duration jitter) {
        return record(DraftCall.LinkSetting.delay(ns, iface, delay, jitter));
    }

    /** Sends {@code percent} (0-100) of the packets leaving {@code iface} twice. Needs the netem qdisc. */
    public SELF duplicate(String ns, String iface, double percent) {
        return record(DraftCall.LinkSetting.duplicate(ns, iface, percent));
    }

    /** Flips a random bit in {@code percent} (0-100) of the packets leaving {@code iface}. Needs the netem qdisc. */
    public SELF corrupt(String ns, String iface, double percent) {
        return record(DraftCall.LinkSetting.corrupt(ns, iface, percent));
    }

    /**
     * Sends {@code percent} (0-100) of the packets leaving {@code iface} at once while the rest
     * wait out its delay, so they arrive out of order; needs a delay on the same interface and
     * the netem qdisc.
     */
    public SELF reorder(String ns, String iface, double percent) {
        return record(DraftCall.LinkSetting.reorder(ns, iface, percent));
    }

    /**
     * Limits the rate of the packets <em>arriving</em> on {@code iface} in {@code ns}, e.g.
     * {@code 10mbit}: they are redirected (ingress qdisc, u32 filter, mirred) to an {@code ifb}
     * device the lab creates in {@code ns}, whose tbf qdisc queues them, as
     * {@code lab.link(ns, iface).inbound().rate(rate)} does on a running lab. Needs the kernel's
     * ifb device and mirred action.
     */
    public SELF inboundRate(String ns, String iface, String rate) {
        return record(DraftCall.LinkSetting.inboundRate(ns, iface, rate));
    }

    /**
     * Drops {@code percent} (0-100) of the IPv4 packets <em>arriving</em> on {@code iface} at
     * random (iptables' statistic match, before routing), as {@link #loss(String, String, double)}
     * does to those leaving.
     */
    public SELF inboundLoss(String ns, String iface, double percent) {
        return record(DraftCall.LinkSetting.inboundLoss(ns, iface, percent));
    }

    /**
     * Adds a node, a namespace that plays a VM: its {@code eth0} is plugged into the lab's
     * underlay switch (bridge {@value LabSpec#UNDERLAY_BRIDGE} in {@code host}, through the peer
     * {@code veth-<name>}) with address {@code underlayCidr}, and IPv4 forwarding is on. The name is
     * at most 10 bytes, so that the peer's fits in 15.
     */
    public SELF node(String name, String underlayCidr) {
        return record(new DraftCall.Node(name, underlayCidr, null));
    }

    /** A {@link #node(String, String) node} with a bridge {@value LabSpec#NODE_BRIDGE} addressed {@code bridgeCidr} for its containers. */
    public SELF node(String name, String underlayCidr, String bridgeCidr) {
        return record(new DraftCall.Node(name, underlayCidr, bridgeCidr));
    }

    /**
     * Adds a container: namespace {@code name} whose {@code eth0} (address {@code cidr}) is a port of
     * a bridge, through the peer {@code veth-<name>}. {@code bridge} is a node's name, for its bridge
     * {@value LabSpec#NODE_BRIDGE} ({@code container("c1", "node1", "172.16.0.2/24")}), or any bridge
     * written {@code "ns:bridge"} ({@code container("netns1", "host:br0", "172.16.0.2/24")}). When the
     * bridge has an address in the container's subnet, it is the container's default gateway, unless
     * the container's default is routed already. The name is at most 10 bytes, so that the peer's fits in 15.
     */
    public SELF container(String name, String bridge, String cidr) {
        return record(new DraftCall.Container(name, bridge, null, cidr));
    }

    /**
     * Adds a container on {@code bridge} of {@code bridgeNs}.
     *
     * @deprecated four strings in a row read ambiguously; use {@link #container(String, String, String)}:
     *             {@code container(name, "bridgeNs:bridge", cidr)}
     */
    @Deprecated
    public SELF container(String name, String bridgeNs, String bridge, String cidr) {
        return record(new DraftCall.Container(name, bridgeNs, bridge, cidr));
    }

    /**
     * Places {@code namespaces} on the kernel called {@code kernel}; the namespaces not placed run on
     * the lab's default kernel ({@code netnslab.backend}, named {@code default}). A veth between two
     * kernels becomes a VXLAN tunnel over their underlay, with its MTU lowered by 50 bytes (see
     * docs/scale-out.md). The kernels are given by name to {@link Lab#start(LabSpec, java.util.Map)},
     * or by the settings {@code netnslab.kernels.<name>=<uri>}.
     *
     * <pre>{@code
     * LabSpec.builder().namespace("router").namespace("h1")
     *         .veth("router:eth1", "h1:eth0")
     *         .on("remote", "h1")     // h1 runs on the kernel called remote
     *         .build();
     * }</pre>
     *
     * <p>{@link #build()} refuses a namespace the spec does not have, a namespace placed on two
     * kernels, and a macvlan or ipvlan device whose parent would run on another kernel.
     *
     * @param kernel     the kernel's name: 1-32 characters of {@code [A-Za-z0-9_.-]}
     * @param namespaces the namespaces that run there, at least one
     */
    public SELF on(String kernel, String... namespaces) {
        draft.place(new Placement.Call(kernel, namespaces == null ? null : java.util.Arrays.asList(namespaces)));
        return self;
    }

    /** Records the single-namespace lab, for {@link LabSpec#singleNamespace}. */
    SELF singleNamespace(String ns, String ip, String hostIp) {
        return record(new DraftCall.SingleNamespace(ns, ip, hostIp));
    }

    /**
     * Checks everything the builder was told and freezes it into a spec. The builder stays usable: a
     * variant can add to it and build again.
     *
     * @throws InvalidLabSpecException naming the element, the value and the rule; when the spec has several
     *                                 problems, one exception lists them all (see {@link InvalidLabSpecException#problems()})
     */
    public LabSpec build() {
        SpecDraft.Built built = draft.buildPlaced();
        return new LabSpec(built.topology(), built.placement());
    }
}
