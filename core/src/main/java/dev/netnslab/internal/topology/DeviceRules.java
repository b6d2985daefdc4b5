package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for what a topology puts inside its namespaces beyond veths and addresses: bridge
 * ports, VXLAN devices, sysctls, link settings and firewall rules. Called by {@link TopologyValidator}.
 */
final class DeviceRules {

    /** Only {@code net.*} sysctls belong to a network namespace; the others would change the machine. */
    private static final Pattern SYSCTL_KEY = Pattern.compile("net(\\.[A-Za-z0-9_-]+|/[A-Za-z0-9_.-]+)+");
    private static final Pattern SYSCTL_VALUE = Pattern.compile("[A-Za-z0-9_.:-]+( [A-Za-z0-9_.:-]+)*");
    /** Rates as {@code tc} writes them, in bits per second. */
    static final Pattern RATE = Pattern.compile("([1-9][0-9]{0,9})(bit|kbit|mbit|gbit)");

    private DeviceRules() {
    }

    static void check(Topology topology, Set<String> namespaces, Map<String, Map<String, String>> interfaces) {
        checkPorts(topology, namespaces, interfaces);
        checkVxlans(topology, interfaces);
        checkSysctls(topology, namespaces);
        checkLinks(topology, namespaces, interfaces);
        for (Topology.IptablesRule rule : topology.iptables()) {
            TopologyValidator.checkKnown(namespaces, "iptables rule", rule.namespace());
            if (rule.args().isEmpty()) {
                throw new InvalidLabSpecException("iptables rule in " + rule.namespace(), "",
                        "a rule needs the arguments that follow 'iptables', such as -t nat -A POSTROUTING -j MASQUERADE");
            }
        }
        for (Topology.NftScript nft : topology.nftScripts()) {
            TopologyValidator.checkKnown(namespaces, "nft script", nft.namespace());
            if (nft.script() == null || nft.script().isBlank()) {
                throw new InvalidLabSpecException("nft script in " + nft.namespace(), String.valueOf(nft.script()),
                        "the script must hold nft commands, such as 'add table ip nat'");
            }
        }
    }

    private static void checkPorts(Topology topology, Set<String> namespaces, Map<String, Map<String, String>> interfaces) {
        Map<String, String> bridgeHome = new HashMap<>();
        topology.bridges().forEach(b -> bridgeHome.putIfAbsent(b.name(), b.namespace()));
        Map<String, String> enslaved = new HashMap<>();
        for (Topology.PortSpec port : topology.ports()) {
            String element = "bridge port " + port.namespace() + ":" + port.iface();
            TopologyValidator.checkKnown(namespaces, element, port.namespace());
            TopologyValidator.checkInterface(interfaces, element, port.iface(), port.namespace(), port.iface());
            boolean sameNamespace = topology.bridges().stream()
                    .anyMatch(b -> b.namespace().equals(port.namespace()) && b.name().equals(port.bridge()));
            if (!sameNamespace) {
                String home = bridgeHome.get(port.bridge());
                throw new InvalidLabSpecException(element, port.bridge(), home == null
                        ? "there is no bridge called " + port.bridge() + " in namespace " + port.namespace()
                                + "; declare it with bridge(\"" + port.namespace() + "\", \"" + port.bridge() + "\")"
                        : "bridge " + port.bridge() + " is in namespace " + home + ", and a bridge can only enslave interfaces"
                                + " of its own namespace; connect " + port.namespace() + " with port(\"" + port.namespace()
                                + "\", \"" + port.iface() + "\", \"" + home + "\", \"" + port.bridge() + "\", <peer name>),"
                                + " which puts the veth's peer next to the bridge");
            }
            if (port.iface().equals(port.bridge())) {
                throw new InvalidLabSpecException(element, port.bridge(), "a bridge cannot be a port of itself");
            }
            String previous = enslaved.putIfAbsent(port.namespace() + ":" + port.iface(), port.bridge());
            if (previous != null) {
                throw new InvalidLabSpecException(element, port.bridge(),
                        "an interface can be the port of one bridge only, and it is already a port of " + previous);
            }
        }
    }

    private static void checkVxlans(Topology topology, Map<String, Map<String, String>> interfaces) {
        for (Topology.VxlanSpec vxlan : topology.vxlans()) {
            String element = "vxlan " + vxlan.namespace() + ":" + vxlan.name();
            if (vxlan.vni() < 1 || vxlan.vni() > 0xFFFFFF) {
                throw new InvalidLabSpecException(element, String.valueOf(vxlan.vni()),
                        "the VXLAN network identifier must be 1-16777215");
            }
            if (vxlan.port() < 1 || vxlan.port() > 65535) {
                throw new InvalidLabSpecException(element, String.valueOf(vxlan.port()), "the UDP port must be 1-65535; VXLAN's is 4789");
            }
            TopologyValidator.checkInterface(interfaces, element + " underlay device", vxlan.dev(), vxlan.namespace(), vxlan.dev());
            if (vxlan.remotes().isEmpty()) {
                throw new InvalidLabSpecException(element, "[]",
                        "a vxlan device needs the underlay address of at least one remote end");
            }
        }
    }

    private static void checkSysctls(Topology topology, Set<String> namespaces) {
        for (Topology.SysctlSpec sysctl : topology.sysctls()) {
            String element = "sysctl in " + sysctl.namespace();
            TopologyValidator.checkKnown(namespaces, element, sysctl.namespace());
            if (sysctl.key() == null || !SYSCTL_KEY.matcher(sysctl.key()).matches()) {
                throw new InvalidLabSpecException(element, sysctl.key(),
                        "only net.* sysctls belong to a network namespace (such as net.ipv4.ip_forward); others would change"
                                + " the whole machine. Write the key with dots, or with slashes when an interface name holds a dot");
            }
            if (sysctl.value() == null || !SYSCTL_VALUE.matcher(sysctl.value()).matches()) {
                throw new InvalidLabSpecException(element + " " + sysctl.key(), sysctl.value(),
                        "a sysctl value is one or more words of [A-Za-z0-9_.:-] separated by single spaces");
            }
        }
    }

    private static void checkLinks(Topology topology, Set<String> namespaces, Map<String, Map<String, String>> interfaces) {
        for (Topology.LinkSettings link : topology.links()) {
            String element = "link settings of " + link.namespace() + ":" + link.iface();
            TopologyValidator.checkKnown(namespaces, element, link.namespace());
            TopologyValidator.checkInterface(interfaces, element, link.iface(), link.namespace(), link.iface());
            if (link.mtu() != 0 && (link.mtu() < 68 || link.mtu() > 65535)) {
                throw new InvalidLabSpecException(element + " mtu", String.valueOf(link.mtu()),
                        "an IPv4 interface's MTU must be 68-65535");
            }
            if (link.rate() != null && !RATE.matcher(link.rate()).matches()) {
                throw new InvalidLabSpecException(element + " rate", link.rate(),
                        "a rate is a whole number followed by bit, kbit, mbit or gbit (per second), such as 10mbit");
            }
            if (link.delay() != null && (link.delay().isNegative() || link.delay().isZero())) {
                throw new InvalidLabSpecException(element + " delay", link.delay().toString(), "a delay must be positive");
            }
            if (link.lossPercent() < 0 || link.lossPercent() > 100 || Double.isNaN(link.lossPercent())) {
                throw new InvalidLabSpecException(element + " loss", String.valueOf(link.lossPercent()),
                        "loss is a percentage, 0-100");
            }
        }
    }
}
