package dev.netnslab.internal.iproute;

import dev.netnslab.internal.topology.IpAddress;
import dev.netnslab.internal.topology.Topology;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders what {@code ip} cannot set into {@link NamespaceStep}s, batched so that each namespace
 * costs at most one process per tool: one {@code sysctl} with every key, one {@code bridge -batch}
 * (extra VXLAN remotes and FDB entries), one {@code ip -6 -batch} (IPv6 rules),
 * one {@code tc -batch}, then one {@code iptables} per rule (iptables has no batch mode that
 * takes argv lists) and one {@code nft -f -} per script. Pure: no I/O.
 */
public final class NamespaceSettings {

    /** Shown when a lab asks for delay and the kernel has no netem qdisc. */
    public static final String NETEM_HINT =
            netemMissing("delay") + " Or remove delay(...) from the LabSpec. Nothing else is affected.";

    /**
     * Why {@code what} failed on a kernel without the netem qdisc, how to get it, and what works
     * without it.
     *
     * @param what what needed netem: {@code delay}, {@code lab.link("a", "eth0").delay(100ms)}
     */
    public static String netemMissing(String what) {
        return what + " needs the netem qdisc (sch_netem), and this kernel does not have it"
                + " (tc: 'Specified qdisc kind is unknown'). To get it: modprobe sch_netem; where there is no such"
                + " module, install the distribution's extra kernel modules (linux-modules-extra-$(uname -r) on Ubuntu,"
                + " kernel-modules-extra on Fedora), or run the lab on the qemu backend (netnslab.backend=qemu),"
                + " whose Debian kernel has netem. Rate limits, loss, partitions and TCP faults work without netem.";
    }

    private static final Pattern RATE = Pattern.compile("([0-9]+)(bit|kbit|mbit|gbit)");

    private NamespaceSettings() {}

    /** The steps for a validated topology; {@code names} maps logical to system namespace names. */
    public static List<NamespaceStep> render(Topology topology, Map<String, String> names) {
        List<NamespaceStep> steps = new ArrayList<>();
        for (String ns : topology.allNamespaces()) {
            String sys = names.get(ns);
            List<String> sysctl = new ArrayList<>(List.of("sysctl", "-q", "-w"));
            topology.sysctls().stream()
                    .filter(s -> s.namespace().equals(ns) && !s.beforeLinks())
                    .forEach(s -> sysctl.add(s.key() + "=" + s.value()));
            if (sysctl.size() > 3) {
                steps.add(new NamespaceStep(
                        ns,
                        sys,
                        "setting sysctls",
                        sysctl,
                        null,
                        "check the sysctl names; they are per-namespace net.* keys such as net.ipv4.ip_forward"));
            }
            List<String> fdb = new ArrayList<>();
            for (Topology.VxlanSpec vxlan : topology.vxlans()) {
                if (vxlan.namespace().equals(ns)) {
                    // ip link add takes one remote on the device's own port; the others are default-destination
                    // FDB entries, which may name another port.
                    vxlan.remotes().stream()
                            .skip(vxlan.sendsToOtherPort() ? 0 : 1)
                            .forEach(remote -> fdb.add("fdb append 00:00:00:00:00:00 dev " + vxlan.name() + " dst "
                                    + remote
                                    + (vxlan.sendsToOtherPort()
                                            ? " port " + vxlan.remotePort() + " self permanent"
                                            : "")));
                }
            }
            for (Topology.FdbSpec entry : topology.fdbs()) {
                if (entry.namespace().equals(ns)) {
                    fdb.add(
                            entry.dst() == null
                                    ? "fdb add " + entry.mac() + " dev " + entry.iface() + " master static"
                                    : "fdb append " + entry.mac() + " dev " + entry.iface() + " dst " + entry.dst()
                                            + " self permanent");
                }
            }
            if (!fdb.isEmpty()) {
                steps.add(new NamespaceStep(
                        ns,
                        sys,
                        "adding VXLAN remotes and FDB entries",
                        List.of("bridge", "-batch", "-"),
                        BuildPlan.script(fdb),
                        null));
            }
            // ip -batch reads every line in one family, IPv4 unless told: IPv6 rules get a batch of their own.
            List<String> rules6 = topology.rules().stream()
                    .filter(r -> r.namespace().equals(ns) && r.family() == IpAddress.Family.IPV6)
                    .map(BuildPlan::ruleLine)
                    .toList();
            if (!rules6.isEmpty()) {
                steps.add(new NamespaceStep(
                        ns,
                        sys,
                        "adding IPv6 rules",
                        List.of("ip", "-6", "-batch", "-"),
                        BuildPlan.script(rules6),
                        null));
            }
            List<String> tc = new ArrayList<>();
            boolean delay = false;
            for (Topology.LinkSettings link : topology.links()) {
                if (link.namespace().equals(ns)) {
                    String qdisc = qdisc(link);
                    if (qdisc != null) {
                        tc.add(qdisc);
                    }
                    delay |= link.needsNetem();
                }
            }
            if (!tc.isEmpty()) {
                steps.add(new NamespaceStep(
                        ns,
                        sys,
                        delay ? "adding qdiscs (netem for delay)" : "adding qdiscs (tbf for rate)",
                        List.of("tc", "-batch", "-"),
                        BuildPlan.script(tc),
                        delay ? NETEM_HINT : null));
            }
            steps.addAll(inboundRates(topology, ns, sys));
            for (Topology.IptablesRule rule : topology.iptables()) {
                if (rule.namespace().equals(ns)) {
                    steps.add(iptables(ns, sys, "adding an iptables rule", rule.args()));
                }
            }
            for (Topology.LinkSettings link : topology.links()) {
                if (link.namespace().equals(ns) && link.inbound().lossPercent() > 0) {
                    steps.add(randomLoss(
                            ns,
                            sys,
                            "adding random loss on what arrives on " + link.iface(),
                            "PREROUTING",
                            "-i",
                            link.iface(),
                            link.inbound().lossPercent()));
                }
            }
            for (Topology.LinkSettings link : topology.links()) {
                if (link.namespace().equals(ns) && link.lossPercent() > 0) {
                    steps.add(randomLoss(
                            ns,
                            sys,
                            "adding random loss on " + link.iface(),
                            "POSTROUTING",
                            "-o",
                            link.iface(),
                            link.lossPercent()));
                }
            }
            for (Topology.NftScript nft : topology.nftScripts()) {
                if (nft.namespace().equals(ns)) {
                    steps.add(new NamespaceStep(
                            ns,
                            sys,
                            "loading an nft script",
                            List.of("nft", "-f", "-"),
                            nft.script().endsWith("\n") ? nft.script() : nft.script() + "\n",
                            "nft must be installed (apt-get install -y nftables)"));
                }
            }
        }
        return steps;
    }

    /**
     * The steps that limit what arrives on {@code ns}'s interfaces with an inbound rate: an ifb
     * device per interface ({@link #inboundDevice}), tbf on its root, and the interface's ingress
     * qdisc redirecting every arriving packet to it.
     */
    private static List<NamespaceStep> inboundRates(Topology topology, String ns, String sys) {
        List<String> devices = new ArrayList<>();
        List<String> tc = new ArrayList<>();
        for (Topology.LinkSettings link : topology.links()) {
            String rate = link.inbound().rate();
            if (link.namespace().equals(ns) && rate != null) {
                String ifb = inboundDevice(topology, ns, link.iface());
                devices.add("link add " + ifb + " type ifb");
                devices.add("link set dev " + ifb + " up");
                tc.add("qdisc add dev " + ifb + " root tbf rate " + rate + " burst " + burstBytes(rate)
                        + " latency 50ms");
                tc.add("qdisc add dev " + link.iface() + " handle ffff: ingress");
                tc.add("filter add dev " + link.iface() + " parent ffff: protocol all prio 1 u32 match u32 0 0"
                        + " action mirred egress redirect dev " + ifb);
            }
        }
        if (devices.isEmpty()) {
            return List.of();
        }
        String hint = "an inbound rate needs the kernel's ifb device, ingress qdisc, u32 filter and mirred action;"
                + " where one is missing, give the rate to the other end of the link instead";
        return List.of(
                new NamespaceStep(
                        ns,
                        sys,
                        "adding ifb devices for inbound rates",
                        List.of("ip", "-batch", "-"),
                        BuildPlan.script(devices),
                        hint),
                new NamespaceStep(
                        ns,
                        sys,
                        "redirecting arriving packets to the ifb devices (inbound rates)",
                        List.of("tc", "-batch", "-"),
                        BuildPlan.script(tc),
                        hint));
    }

    /**
     * The ifb device the lab builds for {@code iface}'s inbound rate in {@code ns}: {@code nlin0},
     * {@code nlin1}, ... in the order of the namespace's links with one; {@code null} when
     * {@code iface} has none.
     */
    public static String inboundDevice(Topology topology, String ns, String iface) {
        int index = 0;
        for (Topology.LinkSettings link : topology.links()) {
            if (link.namespace().equals(ns) && link.inbound().rate() != null) {
                if (link.iface().equals(iface)) {
                    return "nlin" + index;
                }
                index++;
            }
        }
        return null;
    }

    /**
     * The steps that set each namespace's {@linkplain Topology.SysctlSpec#beforeLinks() early} sysctls: one
     * {@code sysctl} per namespace that has some, run before its interfaces exist, so that they take effect
     * on every interface as it is created (the {@code default} keys) and before any packet leaves.
     */
    public static List<NamespaceStep> beforeLinks(Topology topology, Map<String, String> names) {
        List<NamespaceStep> steps = new ArrayList<>();
        for (String ns : topology.allNamespaces()) {
            List<String> sysctl = new ArrayList<>(List.of("sysctl", "-q", "-w"));
            topology.sysctls().stream()
                    .filter(s -> s.namespace().equals(ns) && s.beforeLinks())
                    .forEach(s -> sysctl.add(s.key() + "=" + s.value()));
            if (sysctl.size() > 3) {
                steps.add(new NamespaceStep(
                        ns,
                        names.get(ns),
                        "setting sysctls before its links",
                        sysctl,
                        null,
                        "check the sysctl names; they are per-namespace net.* keys such as net.ipv4.ip_forward,"
                                + " and IPv6 keys need a kernel with IPv6"));
            }
        }
        return steps;
    }

    /**
     * Drops {@code percent} of the packets at random in the mangle table's {@code chain}, for those
     * matched by {@code direction} ({@code -i} arriving, {@code -o} leaving) on {@code iface}.
     */
    private static NamespaceStep randomLoss(
            String ns, String sys, String what, String chain, String direction, String iface, double percent) {
        return iptables(
                ns,
                sys,
                what,
                List.of(
                        "-t",
                        "mangle",
                        "-A",
                        chain,
                        direction,
                        iface,
                        "-m",
                        "statistic",
                        "--mode",
                        "random",
                        "--probability",
                        probability(percent),
                        "-j",
                        "DROP"));
    }

    private static NamespaceStep iptables(String ns, String sys, String what, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w"));
        argv.addAll(args);
        return new NamespaceStep(
                ns,
                sys,
                what,
                argv,
                null,
                "iptables must be installed (apt-get install -y iptables), and the rule must be valid iptables syntax");
    }

    /** The root qdisc for a link's rate and delay, or {@code null} when it has neither. */
    public static String qdisc(Topology.LinkSettings link) {
        if (link.needsNetem()) {
            Topology.Netem netem = link.netem();
            StringBuilder out = new StringBuilder("qdisc add dev " + link.iface() + " root netem");
            if (link.delay() != null) {
                out.append(" delay ")
                        .append(Math.max(1, link.delay().toNanos() / 1000))
                        .append("us");
                if (!netem.jitter().isZero()) {
                    out.append(' ')
                            .append(Math.max(1, netem.jitter().toNanos() / 1000))
                            .append("us");
                }
            }
            share(out, "duplicate", netem.duplicate());
            share(out, "corrupt", netem.corrupt());
            share(out, "reorder", netem.reorder());
            return out.append(link.rate() == null ? "" : " rate " + link.rate()).toString();
        }
        if (link.rate() != null) {
            return "qdisc add dev " + link.iface() + " root tbf rate " + link.rate() + " burst "
                    + burstBytes(link.rate()) + " latency 50ms";
        }
        return null;
    }

    private static void share(StringBuilder out, String name, double percent) {
        if (percent > 0) {
            out.append(' ')
                    .append(name)
                    .append(' ')
                    .append(BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString())
                    .append('%');
        }
    }

    /** tbf's bucket: 10 ms worth of the rate, and never below 4 KB so a full-size frame always fits. */
    public static long burstBytes(String rate) {
        Matcher matcher = RATE.matcher(rate);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a validated rate: " + rate);
        }
        long bits = Long.parseLong(matcher.group(1))
                * switch (matcher.group(2)) {
                    case "kbit" -> 1_000L;
                    case "mbit" -> 1_000_000L;
                    case "gbit" -> 1_000_000_000L;
                    default -> 1L;
                };
        return Math.max(4096, bits / 8 / 100);
    }

    /** A percentage as iptables' probability, written plainly: 12.5 becomes 0.125. */
    static String probability(double percent) {
        return BigDecimal.valueOf(percent).movePointLeft(2).stripTrailingZeros().toPlainString();
    }
}
