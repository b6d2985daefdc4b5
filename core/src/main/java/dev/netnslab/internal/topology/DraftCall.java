package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One call to a {@code LabSpec} builder, holding the values as the user gave them. When its
 * {@link SpecDraft} is built, each call adds its elements to the topology, parsing its values and
 * reporting what breaks a rule instead of throwing; the checks between elements come after.
 */
public sealed interface DraftCall {

    /** Adds this call's elements to {@code parts}, reporting the values that break a rule into its problems. */
    void addTo(DraftParts parts);

    /** {@code namespace(name)}. */
    record Namespace(String name) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            parts.namespaces.add(name);
        }
    }

    /** A veth pair between two endpoints. */
    record Veth(SpecDraft.Endpoint a, SpecDraft.Endpoint b) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            Topology.End endA = parts.end("veth", a);
            Topology.End endB = parts.end("veth", b);
            if (endA != null && endB != null) {
                parts.veths.add(new Topology.Veth(endA, endB));
            }
        }
    }

    /** An interface address, with its options. */
    record Address(String ns, String iface, String cidr, boolean dad, boolean noPrefixRoute) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            parts.address(ns, iface, cidr, dad, noPrefixRoute);
        }
    }

    /**
     * A route, or a blackhole route.
     *
     * @param from the namespace, or {@code ns:dev} for the device the route leaves through
     * @param dev  the device given apart from the namespace, or {@code null}
     */
    record Route(
            String from,
            String dev,
            String destination,
            String via,
            boolean onLink,
            String scope,
            String src,
            long metric,
            long table,
            int mtu,
            Topology.RouteType type)
            implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            boolean refuses = type != Topology.RouteType.UNICAST;
            String kind = refuses ? type.keyword() + " route" : "route";
            Topology.End start = parts.namespaceOrEnd(kind + " from", from);
            if (start == null) {
                return;
            }
            String ns = start.namespace();
            String element = kind + " in " + ns;
            if (start.iface() != null && dev != null) {
                parts.problems.add(new InvalidLabSpecException(
                        element + " to " + destination,
                        from + " dev " + dev,
                        "a route names its device once: write route(\"" + from + "\", destination, via), or give the"
                                + " namespace alone and the device apart"));
                return;
            }
            IpAddress gateway = via == null
                    ? null
                    : parts.problems.parse(() -> IpAddress.parse(element + " to " + destination + " via", via));
            IpCidr target = parts.problems.parse(() -> destination(element, gateway));
            IpAddress source = src == null
                    ? null
                    : parts.problems.parse(
                            () -> IpAddress.parse(element + (refuses ? "" : " to " + destination) + " src", src));
            if ((via == null || gateway != null) && target != null && (src == null || source != null)) {
                parts.routes.add(new Topology.RouteSpec(
                        ns,
                        target,
                        gateway,
                        start.iface() != null ? start.iface() : dev,
                        onLink,
                        scope,
                        source,
                        metric,
                        table,
                        mtu,
                        type));
            }
        }

        private IpCidr destination(String element, IpAddress gateway) {
            if ("default".equals(destination) && gateway != null && gateway.isIpv6()) {
                return IpCidr.defaultRoute(IpAddress.Family.IPV6);
            }
            return IpCidr.parseNetwork(element, destination);
        }
    }

    /**
     * A policy routing rule.
     *
     * @param priority the priority as given, or {@code null} to let the kernel number the rule
     */
    record Rule(String ns, Long priority, String from, String to, long table) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            String element = "rule in " + ns;
            if (priority != null && (priority < 0 || priority > 0xFFFFFFFFL)) {
                parts.problems.add(new InvalidLabSpecException(
                        element + " priority", String.valueOf(priority), RouteRules.PRIORITY_RULE));
                return;
            }
            IpCidr source =
                    from == null ? null : parts.problems.parse(() -> IpCidr.parseNetwork(element + " from", from));
            IpCidr target = to == null ? null : parts.problems.parse(() -> IpCidr.parseNetwork(element + " to", to));
            if ((from == null || source != null) && (to == null || target != null)) {
                parts.rules.add(new Topology.RuleSpec(ns, priority == null ? -1 : priority, source, target, table));
            }
        }
    }

    /** A setting of one interface (MTU, rate, loss, delay, bridge port flags) that needs no parsing. */
    record LinkSetting(String ns, String iface, UnaryOperator<Topology.LinkSettings> change) implements DraftCall {

        public static LinkSetting mtu(String ns, String iface, int mtu) {
            return new LinkSetting(ns, iface, l -> l.withMtu(mtu));
        }

        public static LinkSetting rate(String ns, String iface, String rate) {
            return new LinkSetting(ns, iface, l -> l.withRate(rate));
        }

        public static LinkSetting loss(String ns, String iface, double percent) {
            return new LinkSetting(ns, iface, l -> l.withLoss(percent));
        }

        public static LinkSetting delay(String ns, String iface, Duration delay) {
            return new LinkSetting(ns, iface, l -> l.withDelay(delay));
        }

        public static LinkSetting delay(String ns, String iface, Duration delay, Duration jitter) {
            return new LinkSetting(
                    ns,
                    iface,
                    l -> l.withDelay(delay)
                            .withNetem(new Topology.Netem(
                                    jitter,
                                    l.netem().duplicate(),
                                    l.netem().corrupt(),
                                    l.netem().reorder())));
        }

        public static LinkSetting duplicate(String ns, String iface, double percent) {
            return new LinkSetting(
                    ns,
                    iface,
                    l -> l.withNetem(new Topology.Netem(
                            l.netem().jitter(),
                            percent,
                            l.netem().corrupt(),
                            l.netem().reorder())));
        }

        public static LinkSetting corrupt(String ns, String iface, double percent) {
            return new LinkSetting(
                    ns,
                    iface,
                    l -> l.withNetem(new Topology.Netem(
                            l.netem().jitter(),
                            l.netem().duplicate(),
                            percent,
                            l.netem().reorder())));
        }

        public static LinkSetting reorder(String ns, String iface, double percent) {
            return new LinkSetting(
                    ns,
                    iface,
                    l -> l.withNetem(new Topology.Netem(
                            l.netem().jitter(), l.netem().duplicate(), l.netem().corrupt(), percent)));
        }

        public static LinkSetting inboundRate(String ns, String iface, String rate) {
            return new LinkSetting(
                    ns,
                    iface,
                    l -> l.withInbound(new Topology.Inbound(rate, l.inbound().lossPercent())));
        }

        public static LinkSetting inboundLoss(String ns, String iface, double percent) {
            return new LinkSetting(
                    ns,
                    iface,
                    l -> l.withInbound(new Topology.Inbound(l.inbound().rate(), percent)));
        }

        public static LinkSetting hairpin(String ns, String iface, boolean on) {
            return new LinkSetting(ns, iface, l -> l.withHairpin(on));
        }

        public static LinkSetting isolated(String ns, String iface, boolean on) {
            return new LinkSetting(ns, iface, l -> l.withIsolated(on));
        }

        public static LinkSetting learning(String ns, String iface, boolean on) {
            return new LinkSetting(ns, iface, l -> l.withLearning(on));
        }

        public static LinkSetting flood(String ns, String iface, boolean on) {
            return new LinkSetting(ns, iface, l -> l.withFlood(on));
        }

        @Override
        public void addTo(DraftParts parts) {
            parts.link(ns, iface, change);
        }
    }

    /** The MAC address of an interface. */
    record Mac(String ns, String iface, String mac) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            String parsed =
                    parts.problems.parse(() -> MacAddress.parseInterfaceAddress("mac of " + ns + ":" + iface, mac));
            if (parsed != null) {
                parts.link(ns, iface, l -> l.withMac(parsed));
            }
        }
    }

    /** A permanent neighbour entry on the interface {@code at}. */
    record Neighbour(SpecDraft.Endpoint at, String ip, String mac) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            Topology.End end = parts.end("neighbour", at);
            if (end == null) {
                return;
            }
            String element = "neighbour in " + end;
            IpAddress address = parts.problems.parse(() -> IpAddress.parse(element, ip));
            String link = parts.problems.parse(() -> MacAddress.parse(element + " mac", mac));
            if (address != null && link != null) {
                parts.neighbours.add(new Topology.NeighbourSpec(end.namespace(), end.iface(), address, link));
            }
        }
    }

    /** A permanent forwarding database entry on the interface {@code at}; {@code dstIp} may be {@code null}. */
    record Fdb(SpecDraft.Endpoint at, String mac, String dstIp) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            Topology.End end = parts.end("fdb entry", at);
            if (end == null) {
                return;
            }
            String element = "fdb entry in " + end;
            String link = parts.problems.parse(() -> MacAddress.parse(element + " mac", mac));
            IpAddress dst =
                    dstIp == null ? null : parts.problems.parse(() -> IpAddress.parse(element + " dstIp", dstIp));
            if (link != null && (dstIp == null || dst != null)) {
                parts.fdbs.add(new Topology.FdbSpec(end.namespace(), end.iface(), link, dst));
            }
        }
    }

    /**
     * A bridge.
     *
     * @param ageing           how long it keeps a learned MAC, or {@code null} for the kernel's 300 s
     * @param groupForwardMask the link-local groups it forwards, or -1 for none
     */
    record Bridge(String ns, String name, Duration ageing, int groupForwardMask) implements DraftCall {

        public Bridge(String ns, String name) {
            this(ns, name, null, -1);
        }

        @Override
        public void addTo(DraftParts parts) {
            String element = "bridge " + ns + ":" + name;
            if (ageing != null && (ageing.isNegative() || ageing.toMillis() / 10 > 0xFFFFFFFFL)) {
                parts.problems.add(new InvalidLabSpecException(
                        element + " ageing time",
                        ageing.toString(),
                        "the ageing time is 0 (a hub: nothing is learned for long) up to 42949672 s,"
                                + " kept in hundredths of a second"));
            } else if (groupForwardMask != -1 && (groupForwardMask < 0 || groupForwardMask > 0xFFFF)) {
                parts.problems.add(new InvalidLabSpecException(
                        element + " group forward mask",
                        String.valueOf(groupForwardMask),
                        "the mask has one bit per link-local group 01:80:c2:00:00:00-0f, 0-0xffff; the kernel never"
                                + " forwards groups 0-2 (STP, pause, LACP)"));
            }
            // Added even when an option is bad: the bridge exists, and what refers to it is fine.
            parts.bridges.add(new Topology.BridgeSpec(
                    ns, name, ageing == null || ageing.isNegative() ? -1 : ageing.toMillis() / 10, groupForwardMask));
        }
    }

    /**
     * A veth pair from {@code end} to a port of {@code bridge}.
     *
     * @param peer the name of the veth end next to the bridge, or {@code null} for {@code veth-<namespace of end>}
     */
    record Port(SpecDraft.Endpoint end, SpecDraft.Endpoint bridge, String peer) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            Topology.End plugged = parts.end("port", end);
            Topology.End into = parts.end("port bridge", bridge);
            if (plugged == null || into == null) {
                return;
            }
            String name = peer != null ? peer : NodeShorthands.portPeer(parts, plugged, into);
            parts.port(plugged.namespace(), plugged.iface(), into.namespace(), into.iface(), name);
        }
    }

    /** Enslaves an existing interface to a bridge or VRF of its namespace. */
    record Master(String ns, String iface, String bridge) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            parts.ports.add(new Topology.PortSpec(ns, iface, bridge));
        }
    }

    /** A VXLAN device, with its remotes and local address as written. */
    record Vxlan(
            String ns, String name, int vni, String dev, List<String> remotes, int port, boolean learning, String local)
            implements DraftCall {
        public Vxlan {
            // Not List.copyOf: a null remote is a bad value to report, not a reason to throw here.
            remotes = Collections.unmodifiableList(new ArrayList<>(remotes));
        }

        @Override
        public void addTo(DraftParts parts) {
            String element = "vxlan " + ns + ":" + name;
            List<IpAddress> parsed = new ArrayList<>();
            for (String remote : remotes) {
                IpAddress address = parts.problems.parse(() -> IpAddress.parse(element + " remote", remote));
                if (address != null) {
                    parsed.add(address);
                }
            }
            IpAddress source =
                    local == null ? null : parts.problems.parse(() -> IpAddress.parse(element + " local", local));
            // Added even when an address is bad: the device exists, and what refers to it is fine.
            parts.vxlans.add(new Topology.VxlanSpec(ns, name, vni, dev, parsed, port, learning, source));
        }
    }

    /**
     * A macvlan, ipvlan, VLAN or VRF device.
     *
     * @param parent the lower device, or {@code null} for a VRF
     */
    record Device(
            Topology.DeviceKind kind, SpecDraft.Endpoint device, SpecDraft.Endpoint parent, String mode, long number)
            implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            Topology.End self = parts.end(kind.type(), device);
            Topology.End lower = parent == null ? null : parts.end(kind.type() + " parent", parent);
            if (self != null && (parent == null || lower != null)) {
                parts.devices.add(new Topology.DeviceSpec(
                        kind,
                        self.namespace(),
                        self.iface(),
                        lower == null ? null : lower.namespace(),
                        lower == null ? null : lower.iface(),
                        mode,
                        number));
            }
        }
    }

    /**
     * A sysctl inside a namespace; a later call for the same key wins.
     *
     * @param beforeLinks set before the namespace's interfaces are created, rather than once the links are up
     */
    record Sysctl(String ns, String key, String value, boolean beforeLinks) implements DraftCall {

        public Sysctl(String ns, String key, String value) {
            this(ns, key, value, false);
        }

        @Override
        public void addTo(DraftParts parts) {
            parts.sysctl(ns, key, value, beforeLinks);
        }
    }

    /** A program run inside a namespace once the lab is built (see {@link Topology.StartupSpec}). */
    record Startup(Topology.StartupSpec startup) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            parts.startups.add(startup);
        }
    }

    /** An iptables rule, as the argv after {@code iptables}. */
    record Iptables(String ns, List<String> args) implements DraftCall {
        public Iptables {
            args = List.copyOf(args);
        }

        @Override
        public void addTo(DraftParts parts) {
            parts.iptables.add(new Topology.IptablesRule(ns, args));
        }
    }

    /** Source NAT of {@code sourceSubnet} leaving through {@code outIface}: an iptables rule, so IPv4 only. */
    record Masquerade(String ns, String sourceSubnet, String outIface) implements DraftCall {
        public Masquerade {
            Objects.requireNonNull(outIface, "outIface");
        }

        @Override
        public void addTo(DraftParts parts) {
            String element = "masquerade source in " + ns;
            IpCidr parsed = parts.problems.parse(() -> IpCidr.parseNetwork(element, sourceSubnet));
            if (parsed != null && parsed.address().isIpv6()) {
                parts.problems.add(new InvalidLabSpecException(
                        element,
                        sourceSubnet,
                        "masquerade(...) adds an iptables rule,"
                                + " which is IPv4's; for IPv6 NAT, load an nft script with nft(...) (table ip6 nat)"));
            } else if (parsed != null) {
                parts.iptables.add(new Topology.IptablesRule(
                        ns,
                        List.of(
                                "-t",
                                "nat",
                                "-A",
                                "POSTROUTING",
                                "-s",
                                parsed.toString(),
                                "-o",
                                outIface,
                                "-j",
                                "MASQUERADE")));
            }
        }
    }

    /** An nft script. */
    record Nft(String ns, String script) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            parts.nftScripts.add(new Topology.NftScript(ns, script));
        }
    }

    /** A node: a namespace playing a VM on the underlay, with a bridge for containers when {@code bridgeCidr} is given. */
    record Node(String name, String underlayCidr, String bridgeCidr) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            NodeShorthands.node(parts, name, underlayCidr, bridgeCidr);
        }
    }

    /**
     * A container: a namespace on a bridge.
     *
     * @param where  a node's name (its bridge {@code br0}), {@code ns:bridge}, or the bridge's namespace when
     *               {@code bridge} is given apart
     * @param bridge the bridge given apart, or {@code null}
     */
    record Container(String name, String where, String bridge, String cidr) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            NodeShorthands.container(parts, name, where, bridge, cidr);
        }
    }

    /** The single-namespace lab: {@code ns} on a veth pair to the host, as {@code @NetnsLab} describes it. */
    record SingleNamespace(String ns, String ip, String hostIp) implements DraftCall {
        @Override
        public void addTo(DraftParts parts) {
            NodeShorthands.singleNamespace(parts, ns, ip, hostIp);
        }
    }
}
