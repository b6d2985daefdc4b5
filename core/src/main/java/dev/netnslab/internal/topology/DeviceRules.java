package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for what a topology puts inside its namespaces beyond veths and addresses: bridge
 * ports, VXLAN and stacked devices, static neighbour and FDB entries, sysctls, link settings and firewall rules. Called by {@link TopologyValidator}.
 */
public final class DeviceRules {

    /** Only {@code net.*} sysctls belong to a network namespace; the others would change the machine. */
    private static final Pattern SYSCTL_KEY = Pattern.compile("net(\\.[A-Za-z0-9_-]+|/[A-Za-z0-9_.-]+)+");

    private static final Pattern SYSCTL_VALUE = Pattern.compile("[A-Za-z0-9_.:-]+( [A-Za-z0-9_.:-]+)*");
    /** Rates as {@code tc} writes them, in bits per second. */
    static final Pattern RATE = Pattern.compile("([1-9][0-9]{0,9})(bit|kbit|mbit|gbit)");

    /** What an MTU may be, for messages. */
    public static final String MTU_RULE = "an IPv4 interface's MTU must be 68-65535";
    /** What a rate may be, for messages. */
    public static final String RATE_RULE =
            "a rate is a whole number followed by bit, kbit, mbit or gbit (per second), such as 10mbit";
    /** What a loss may be, for messages. */
    public static final String LOSS_RULE = "loss is a percentage, 0-100";

    private DeviceRules() {}

    /** Whether {@code mtu} is one the kernel takes for an interface that carries IPv4. */
    public static boolean isMtu(int mtu) {
        return mtu >= 68 && mtu <= 65535;
    }

    /** Whether {@code rate} is a rate as {@code tc} writes it. */
    public static boolean isRate(String rate) {
        return rate != null && RATE.matcher(rate).matches();
    }

    /** Whether {@code percent} is a share of packets, 0 to 100. */
    public static boolean isLoss(double percent) {
        return percent >= 0 && percent <= 100;
    }

    /** Adds the first rule each element breaks to {@code problems}. */
    static void check(
            Topology topology, Set<String> namespaces, Map<String, Map<String, String>> interfaces, Problems problems) {
        Map<String, String> enslaved = new HashMap<>();
        topology.ports()
                .forEach(port -> problems.check(() -> checkPort(topology, namespaces, interfaces, enslaved, port)));
        topology.vxlans().forEach(vxlan -> problems.check(() -> checkVxlan(topology, interfaces, vxlan)));
        topology.devices()
                .forEach(device -> problems.check(() -> checkDevice(topology, namespaces, interfaces, device)));
        Set<String> neighbours = new HashSet<>();
        topology.neighbours().forEach(n -> problems.check(() -> checkNeighbour(namespaces, interfaces, neighbours, n)));
        Set<String> fdbs = new HashSet<>();
        topology.fdbs().forEach(fdb -> problems.check(() -> checkFdb(topology, namespaces, interfaces, fdbs, fdb)));
        topology.sysctls().forEach(sysctl -> problems.check(() -> checkSysctl(namespaces, sysctl)));
        topology.links().forEach(link -> problems.check(() -> checkLink(topology, namespaces, interfaces, link)));
        for (Topology.IptablesRule rule : topology.iptables()) {
            problems.check(() -> {
                TopologyValidator.checkKnown(namespaces, "iptables rule", rule.namespace());
                if (rule.args().isEmpty()) {
                    throw new InvalidLabSpecException(
                            "iptables rule in " + rule.namespace(),
                            "",
                            "a rule needs the arguments that follow 'iptables', such as -t nat -A POSTROUTING -j MASQUERADE");
                }
            });
        }
        for (Topology.NftScript nft : topology.nftScripts()) {
            problems.check(() -> {
                TopologyValidator.checkKnown(namespaces, "nft script", nft.namespace());
                if (nft.script() == null || nft.script().isBlank()) {
                    throw new InvalidLabSpecException(
                            "nft script in " + nft.namespace(),
                            String.valueOf(nft.script()),
                            "the script must hold nft commands, such as 'add table ip nat'");
                }
            });
        }
    }

    private static void checkPort(
            Topology topology,
            Set<String> namespaces,
            Map<String, Map<String, String>> interfaces,
            Map<String, String> enslaved,
            Topology.PortSpec port) {
        String element = "bridge port " + port.namespace() + ":" + port.iface();
        TopologyValidator.checkKnown(namespaces, element, port.namespace());
        TopologyValidator.checkInterface(interfaces, element, port.iface(), port.namespace(), port.iface());
        boolean sameNamespace = topology.bridges().stream()
                        .anyMatch(b -> Objects.equals(b.namespace(), port.namespace())
                                && Objects.equals(b.name(), port.bridge()))
                || topology.devices().stream()
                        .anyMatch(d -> d.kind() == Topology.DeviceKind.VRF
                                && Objects.equals(d.namespace(), port.namespace())
                                && Objects.equals(d.name(), port.bridge()));
        if (!sameNamespace) {
            String home = topology.bridges().stream()
                    .filter(b -> Objects.equals(b.name(), port.bridge()))
                    .map(Topology.BridgeSpec::namespace)
                    .findFirst()
                    .orElse(null);
            throw new InvalidLabSpecException(
                    element,
                    port.bridge(),
                    home == null
                            ? "there is no bridge (or VRF) called " + port.bridge() + " in namespace "
                                    + port.namespace() + "; declare it with bridge(\"" + port.namespace() + "\", \""
                                    + port.bridge() + "\")"
                            : "bridge " + port.bridge() + " is in namespace " + home
                                    + ", and a bridge can only enslave interfaces"
                                    + " of its own namespace; connect " + port.namespace() + " with port(\""
                                    + port.namespace()
                                    + ":" + port.iface() + "\", \"" + home + ":" + port.bridge()
                                    + "\"), which puts the veth's peer"
                                    + " next to the bridge");
        }
        if (port.iface().equals(port.bridge())) {
            throw new InvalidLabSpecException(element, port.bridge(), "a bridge cannot be a port of itself");
        }
        String previous = enslaved.putIfAbsent(port.namespace() + ":" + port.iface(), port.bridge());
        if (previous != null) {
            throw new InvalidLabSpecException(
                    element,
                    port.bridge(),
                    "an interface can be the port of one bridge only, and it is already a port of " + previous);
        }
    }

    private static void checkVxlan(
            Topology topology, Map<String, Map<String, String>> interfaces, Topology.VxlanSpec vxlan) {
        String element = "vxlan " + vxlan.namespace() + ":" + vxlan.name();
        if (vxlan.vni() < 1 || vxlan.vni() > 0xFFFFFF) {
            throw new InvalidLabSpecException(
                    element, String.valueOf(vxlan.vni()), "the VXLAN network identifier must be 1-16777215");
        }
        if (vxlan.port() < 1 || vxlan.port() > 65535) {
            throw new InvalidLabSpecException(
                    element, String.valueOf(vxlan.port()), "the UDP port must be 1-65535; VXLAN's is 4789");
        }
        TopologyValidator.checkInterface(
                interfaces, element + " underlay device", vxlan.dev(), vxlan.namespace(), vxlan.dev());
        IpAddress.Family underlay = vxlan.local() != null
                ? vxlan.local().family()
                : vxlan.remotes().isEmpty() ? null : vxlan.remotes().get(0).family();
        for (IpAddress remote : vxlan.remotes()) {
            if (remote.family() != underlay) {
                throw new InvalidLabSpecException(
                        element + " remote",
                        remote.toString(),
                        "a VXLAN device speaks one underlay" + " family, and this remote is " + remote.family()
                                + " where the others (or its local address) are " + underlay);
            }
            if (remote.isUnspecified() || remote.isLoopback()) {
                throw new InvalidLabSpecException(
                        element + " remote", remote.toString(), "a remote is the underlay address of another VTEP");
            }
        }
        if (vxlan.local() != null
                && topology.addresses().stream()
                        .noneMatch(a -> Objects.equals(a.namespace(), vxlan.namespace())
                                && a.cidr().address().equals(vxlan.local()))) {
            throw new InvalidLabSpecException(
                    element + " local",
                    vxlan.local().toString(),
                    "the local address is the"
                            + " VTEP's source on the underlay, so it must be one of the namespace's own addresses "
                            + TopologyValidator.addressesOf(topology, vxlan.namespace()));
        }
    }

    private static final Set<String> MACVLAN_MODES = Set.of("private", "vepa", "bridge", "passthru", "source");
    private static final Set<String> IPVLAN_MODES = Set.of("l2", "l3", "l3s");

    /** macvlan, ipvlan, VLAN and VRF devices: their parent, mode, VLAN id or table. */
    private static void checkDevice(
            Topology topology,
            Set<String> namespaces,
            Map<String, Map<String, String>> interfaces,
            Topology.DeviceSpec device) {
        String element = device.kind() + " " + device.namespace() + ":" + device.name();
        switch (device.kind()) {
            case VRF -> {
                if (device.number() < 1
                        || device.number() > 0xFFFFFFFFL
                        || device.number() == 254
                        || device.number() == 255) {
                    throw new InvalidLabSpecException(
                            element + " table",
                            String.valueOf(device.number()),
                            "a VRF needs a routing table of its own, 1-4294967295 except main (254) and local (255)");
                }
                return;
            }
            case VLAN -> {
                if (device.number() < 0 || device.number() > 4094) {
                    throw new InvalidLabSpecException(
                            element + " id", String.valueOf(device.number()), "a VLAN id is 0-4094");
                }
            }
            case MACVLAN -> checkMode(element, device.mode(), MACVLAN_MODES);
            case IPVLAN -> checkMode(element, device.mode(), IPVLAN_MODES);
        }
        TopologyValidator.checkKnown(namespaces, element + " parent", device.parentNamespace());
        TopologyValidator.checkInterface(
                interfaces, element + " parent", device.parent(), device.parentNamespace(), device.parent());
        boolean vethEnd = topology.veths().stream()
                .anyMatch(v -> v.a().equals(new Topology.End(device.parentNamespace(), device.parent()))
                        || v.b().equals(new Topology.End(device.parentNamespace(), device.parent())));
        if (!device.parentNamespace().equals(device.namespace()) && !vethEnd) {
            throw new InvalidLabSpecException(
                    element + " parent",
                    device.parentNamespace() + ":" + device.parent(),
                    "a device in another namespace than its parent is created before the parent's namespace is configured,"
                            + " so its parent must be a veth end; use a veth end as parent, or put the device next to its parent");
        }
    }

    private static void checkMode(String element, String mode, Set<String> modes) {
        if (mode == null || !modes.contains(mode)) {
            throw new InvalidLabSpecException(
                    element + " mode", mode, "the mode must be one of " + TopologyValidator.sorted(modes));
        }
    }

    /** Static neighbours and FDB entries: known interfaces, well-formed MACs, and FDB entries only where they mean something. */
    private static void checkNeighbour(
            Set<String> namespaces,
            Map<String, Map<String, String>> interfaces,
            Set<String> neighbours,
            Topology.NeighbourSpec neighbour) {
        String element = "neighbour in " + neighbour.namespace() + ":" + neighbour.iface();
        TopologyValidator.checkKnown(namespaces, element, neighbour.namespace());
        TopologyValidator.checkInterface(
                interfaces, element, neighbour.iface(), neighbour.namespace(), neighbour.iface());
        if (neighbour.ip().isUnspecified()
                || neighbour.ip().isMulticast()
                || neighbour.ip().isLoopback()) {
            throw new InvalidLabSpecException(
                    element, neighbour.ip().toString(), "a neighbour entry maps a unicast address to a MAC");
        }
        if (!neighbours.add(neighbour.namespace() + " " + neighbour.iface() + " " + neighbour.ip())) {
            throw new InvalidLabSpecException(
                    element,
                    neighbour.ip().toString(),
                    "an interface has one neighbour entry per address, and this address is given twice");
        }
    }

    private static void checkFdb(
            Topology topology,
            Set<String> namespaces,
            Map<String, Map<String, String>> interfaces,
            Set<String> fdbs,
            Topology.FdbSpec fdb) {
        String element = "fdb entry in " + fdb.namespace() + ":" + fdb.iface();
        TopologyValidator.checkKnown(namespaces, element, fdb.namespace());
        TopologyValidator.checkInterface(interfaces, element, fdb.iface(), fdb.namespace(), fdb.iface());
        Topology.VxlanSpec vxlan = topology.vxlans().stream()
                .filter(v -> Objects.equals(v.namespace(), fdb.namespace()) && Objects.equals(v.name(), fdb.iface()))
                .findFirst()
                .orElse(null);
        boolean port = topology.ports().stream()
                .anyMatch(
                        p -> Objects.equals(p.namespace(), fdb.namespace()) && Objects.equals(p.iface(), fdb.iface()));
        if (vxlan != null) {
            if (fdb.dst() == null) {
                throw new InvalidLabSpecException(
                        element,
                        fdb.mac(),
                        "an FDB entry on a VXLAN device says which VTEP a MAC"
                                + " lives behind, so it needs that VTEP's underlay address as dstIp");
            }
            IpAddress.Family underlay = vxlan.local() != null
                    ? vxlan.local().family()
                    : vxlan.remotes().isEmpty()
                            ? fdb.dst().family()
                            : vxlan.remotes().get(0).family();
            if (fdb.dst().family() != underlay) {
                throw new InvalidLabSpecException(
                        element + " dstIp",
                        fdb.dst().toString(),
                        "the VTEP address must be of the device's underlay family, " + underlay);
            }
        } else if (port) {
            if (fdb.dst() != null) {
                throw new InvalidLabSpecException(
                        element + " dstIp",
                        fdb.dst().toString(),
                        "only a VXLAN device has remote" + " destinations; on a bridge port, pass null as dstIp");
            }
        } else {
            throw new InvalidLabSpecException(
                    element,
                    fdb.iface(),
                    "forwarding database entries belong to a VXLAN device" + " or to a bridge port, and " + fdb.iface()
                            + " is neither");
        }
        if (!fdbs.add(fdb.namespace() + " " + fdb.iface() + " " + fdb.mac() + " " + fdb.dst())) {
            throw new InvalidLabSpecException(
                    element,
                    fdb.mac() + (fdb.dst() == null ? "" : " dst " + fdb.dst()),
                    "the kernel refuses the same FDB entry twice, and this one is given twice");
        }
    }

    private static boolean isBridge(Topology topology, Topology.PortSpec port) {
        return topology.bridges().stream()
                .anyMatch(b ->
                        Objects.equals(b.namespace(), port.namespace()) && Objects.equals(b.name(), port.bridge()));
    }

    private static void checkSysctl(Set<String> namespaces, Topology.SysctlSpec sysctl) {
        String element = "sysctl in " + sysctl.namespace();
        TopologyValidator.checkKnown(namespaces, element, sysctl.namespace());
        if (sysctl.key() == null || !SYSCTL_KEY.matcher(sysctl.key()).matches()) {
            throw new InvalidLabSpecException(
                    element,
                    sysctl.key(),
                    "only net.* sysctls belong to a network namespace (such as net.ipv4.ip_forward); others would change"
                            + " the whole machine. Write the key with dots, or with slashes when an interface name holds a dot");
        }
        if (sysctl.value() == null || !SYSCTL_VALUE.matcher(sysctl.value()).matches()) {
            throw new InvalidLabSpecException(
                    element + " " + sysctl.key(),
                    sysctl.value(),
                    "a sysctl value is one or more words of [A-Za-z0-9_.:-] separated by single spaces");
        }
    }

    private static void checkLink(
            Topology topology,
            Set<String> namespaces,
            Map<String, Map<String, String>> interfaces,
            Topology.LinkSettings link) {
        String element = "link settings of " + link.namespace() + ":" + link.iface();
        TopologyValidator.checkKnown(namespaces, element, link.namespace());
        TopologyValidator.checkInterface(interfaces, element, link.iface(), link.namespace(), link.iface());
        if (link.mtu() != 0 && !isMtu(link.mtu())) {
            throw new InvalidLabSpecException(element + " mtu", String.valueOf(link.mtu()), MTU_RULE);
        }
        if (link.rate() != null && !isRate(link.rate())) {
            throw new InvalidLabSpecException(element + " rate", link.rate(), RATE_RULE);
        }
        if (link.delay() != null && (link.delay().isNegative() || link.delay().isZero())) {
            throw new InvalidLabSpecException(element + " delay", link.delay().toString(), "a delay must be positive");
        }
        if (link.hasPortFlags()
                && topology.ports().stream()
                        .noneMatch(p -> Objects.equals(p.namespace(), link.namespace())
                                && Objects.equals(p.iface(), link.iface())
                                && isBridge(topology, p))) {
            throw new InvalidLabSpecException(
                    element,
                    link.hairpin() != null
                            ? "hairpin"
                            : link.isolated() != null ? "isolated" : link.learning() != null ? "learning" : "flood",
                    "hairpin, isolated, learning and flood are flags of a bridge port, and " + link.iface()
                            + " is not enslaved to a bridge;" + " enslave it with master(...) or port(...) first");
        }
        if (!isLoss(link.lossPercent())) {
            throw new InvalidLabSpecException(element + " loss", String.valueOf(link.lossPercent()), LOSS_RULE);
        }
        if (link.inbound().rate() != null && !isRate(link.inbound().rate())) {
            throw new InvalidLabSpecException(
                    element + " inboundRate", link.inbound().rate(), RATE_RULE);
        }
        if (!isLoss(link.inbound().lossPercent())) {
            throw new InvalidLabSpecException(
                    element + " inboundLoss", String.valueOf(link.inbound().lossPercent()), LOSS_RULE);
        }
        Topology.Netem netem = link.netem();
        Duration jitter = netem.jitter();
        if (jitter == null
                || jitter.isNegative()
                || (!jitter.isZero() && (link.delay() == null || jitter.compareTo(link.delay()) > 0))) {
            throw new InvalidLabSpecException(
                    element + " jitter",
                    String.valueOf(jitter),
                    "a jitter is 0 up to the delay, so that no packet leaves before it was sent;"
                            + " pass e.g. delay(ns, iface, Duration.ofMillis(100), Duration.ofMillis(10))");
        }
        for (Map.Entry<String, Double> share : Map.of(
                        "duplicate", netem.duplicate(), "corrupt", netem.corrupt(), "reorder", netem.reorder())
                .entrySet()) {
            if (!isLoss(share.getValue())) {
                throw new InvalidLabSpecException(
                        element + " " + share.getKey(),
                        String.valueOf(share.getValue()),
                        share.getKey() + " is a percentage, 0-100, in steps of 0.01");
            }
        }
        if (netem.reorder() > 0 && link.delay() == null) {
            throw new InvalidLabSpecException(
                    element + " reorder",
                    String.valueOf(netem.reorder()),
                    "reorder needs a delay on the same interface (the reordered packets are those sent at once while"
                            + " the others wait); add delay(ns, iface, ...)");
        }
    }
}
