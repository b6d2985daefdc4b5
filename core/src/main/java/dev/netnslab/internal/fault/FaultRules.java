package dev.netnslab.internal.fault;

import dev.netnslab.internal.iproute.NamespaceSettings;
import dev.netnslab.internal.topology.DeviceRules;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The commands behind faults on a running lab, and the checks on their arguments. Pure: it renders
 * argv lists and nft scripts, and runs nothing.
 *
 * <p>Every fault that needs a firewall rule gets an nft table of its own inside the namespace
 * ({@code inet netnslab_loss_3}, say), so undoing it is deleting that table: exactly what was
 * added goes, and the namespace's other rules, the lab's or the user's, are never touched. The
 * tables sit in the lab's namespaces only; the machine's own rules are never read or written.
 */
public final class FaultRules {

    /** Neighbour discovery is spared by loss, as ARP is: a lost solicitation would stall a link for seconds. */
    private static final String NEIGHBOUR_DISCOVERY =
            "{ nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, nd-redirect }";

    private FaultRules() {}

    /**
     * {@code percent}, if it is a share of packets.
     *
     * @param call how the user called it, for the message: {@code lab.link("netns1", "veth2").loss(150.0)}
     */
    public static double loss(String call, double percent) {
        if (!DeviceRules.isLoss(percent)) {
            throw refused(call, DeviceRules.LOSS_RULE + " (0 removes the loss); pass e.g. loss(30)");
        }
        return percent;
    }

    /** {@code rate}, if {@code tc} takes it. */
    public static String rate(String call, String rate) {
        if (!DeviceRules.isRate(rate)) {
            throw refused(call, DeviceRules.RATE_RULE + "; pass e.g. rate(\"1mbit\")");
        }
        return rate;
    }

    /** {@code mtu}, if the kernel takes it. */
    public static int mtu(String call, int mtu) {
        if (!DeviceRules.isMtu(mtu)) {
            throw refused(call, DeviceRules.MTU_RULE + " (IPv6 needs at least 1280); pass e.g. mtu(1280)");
        }
        return mtu;
    }

    /** The longest delay or jitter a link takes: netem counts in 32-bit ticks, and a minute is more than any test needs. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(60);

    /** {@code delay}, if netem takes it: 0 (removes it) to 60 s. */
    public static Duration delay(String call, Duration delay) {
        if (delay == null || delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw refused(call, "a delay is 0 to 60 s (0 removes it); pass e.g. delay(Duration.ofMillis(100))");
        }
        return delay;
    }

    /** {@code jitter}, if it is at most {@code delay}: a packet cannot leave before it was sent. */
    public static Duration jitter(String call, Duration delay, Duration jitter) {
        if (jitter == null || jitter.isNegative() || jitter.compareTo(delay) > 0) {
            throw refused(
                    call,
                    "the jitter is 0 up to the delay (" + duration(delay) + "), so that no packet leaves before it was"
                            + " sent; pass e.g. delay(Duration.ofMillis(100), Duration.ofMillis(10))");
        }
        return jitter;
    }

    /** A flap's period and count, if they make sense: 20 ms to 1 h, and 0 (until cleared) or more cycles. */
    public static void flap(String call, Duration period, int count) {
        if (period == null
                || period.compareTo(Duration.ofMillis(20)) < 0
                || period.compareTo(Duration.ofHours(1)) > 0) {
            throw refused(
                    call,
                    "a flap's period is 20 ms to 1 h (down for the first half, up for the second);"
                            + " pass e.g. flap(Duration.ofSeconds(1), 3)");
        }
        if (count < 0) {
            throw refused(
                    call,
                    "the count is how many times the link goes down and up, 0 for until clear();"
                            + " pass e.g. flap(Duration.ofSeconds(1), 3)");
        }
    }

    /** {@code percent} for duplicate, corrupt or reorder: 0 (removes it) to 100. */
    public static double share(String call, String what, double percent) {
        if (!DeviceRules.isLoss(percent)) {
            throw refused(
                    call, what + " is a percentage, 0-100, in steps of 0.01 (0 removes it); pass e.g. " + what + "(1)");
        }
        return percent;
    }

    /**
     * The {@code tc} argv that makes a netem qdisc with these settings the root qdisc of
     * {@code iface}; a {@code null} or zero setting is left out.
     */
    public static List<String> netem(
            String iface,
            Duration delay,
            Duration jitter,
            double duplicate,
            double corrupt,
            double reorder,
            String rate) {
        List<String> argv = new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", iface, "root", "netem"));
        if (delay != null && !delay.isZero()) {
            argv.add("delay");
            argv.add(micros(delay));
            if (jitter != null && !jitter.isZero()) {
                argv.add(micros(jitter));
            }
        }
        share(argv, "duplicate", duplicate);
        share(argv, "corrupt", corrupt);
        share(argv, "reorder", reorder);
        if (rate != null) {
            argv.add("rate");
            argv.add(rate);
        }
        return argv;
    }

    /** Whether tc's answer says the kernel has no netem qdisc. */
    public static boolean netemMissing(String stderr) {
        return stderr.contains("qdisc kind is unknown") || stderr.contains("Specified qdisc not found");
    }

    private static void share(List<String> argv, String name, double percent) {
        if (percent > 0) {
            argv.add(name);
            argv.add(percent(percent));
        }
    }

    private static String micros(Duration duration) {
        return Math.max(1, duration.toNanos() / 1000) + "us";
    }

    /** How a {@code delay(...)} call reads in messages: {@code delay(100ms)}, or {@code delay(100ms, 10ms)} with a jitter. */
    public static String delayCall(Duration delay, Duration jitter) {
        return "delay(" + (delay == null ? "null" : duration(delay))
                + (jitter == null || !jitter.isZero() ? ", " + (jitter == null ? "null" : duration(jitter)) : "")
                + ")";
    }

    /** {@code 100ms}, {@code 1.5ms}, {@code 2s}: a duration as a note or message shows it. */
    public static String duration(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + "ms";
    }

    private static IllegalArgumentException refused(String call, String rule) {
        return new IllegalArgumentException(call + " is refused: " + rule + ". Nothing was changed.");
    }

    /** {@code ip} arguments that set {@code iface} up or down: {@code -n NS link set dev IFACE down}. */
    public static List<String> linkState(String systemName, String iface, boolean up) {
        return List.of("-n", systemName, "link", "set", "dev", iface, up ? "up" : "down");
    }

    /**
     * An {@code ip -batch} line that puts a route through {@code iface} back, e.g.
     * {@code route replace default via 10.0.0.1 dev eth0}. A batch line takes no {@code -6}, so an
     * IPv6 default route is written {@code ::/0}.
     *
     * @param ipv6 whether the route is an IPv6 one
     */
    public static String routeReplace(
            String destination, String gateway, String iface, boolean ipv6, boolean onlink, long metric) {
        String to = ipv6 && destination.equals("default") ? "::/0" : destination;
        return "route replace " + to + (gateway == null ? "" : " via " + gateway) + " dev " + iface
                + (onlink ? " onlink" : "") + (metric > 0 ? " metric " + metric : "");
    }

    /** {@code ip} arguments that set the MTU of {@code iface}. */
    public static List<String> linkMtu(String systemName, String iface, int mtu) {
        return List.of("-n", systemName, "link", "set", "dev", iface, "mtu", String.valueOf(mtu));
    }

    /** The {@code tc} argv that makes a tbf qdisc limiting {@code iface}'s egress to {@code rate} the root qdisc. */
    public static List<String> rateLimit(String iface, String rate) {
        return List.of(
                "tc",
                "qdisc",
                "replace",
                "dev",
                iface,
                "root",
                "tbf",
                "rate",
                rate,
                "burst",
                String.valueOf(NamespaceSettings.burstBytes(rate)),
                "latency",
                "50ms");
    }

    /** The {@code tc} argv that removes {@code iface}'s root qdisc, giving it back the kernel's default. */
    public static List<String> rateClear(String iface) {
        return List.of("tc", "qdisc", "del", "dev", iface, "root");
    }

    /**
     * An nft script that drops {@code percent} of the IP packets (IPv4 and IPv6) that leave
     * {@code iface}, sent or forwarded by the namespace, at random. ARP and neighbour discovery are
     * spared. Resolution is 0.01%.
     */
    public static String lossTable(String table, String iface, double percent) {
        return lossTable(table, iface, percent, false);
    }

    /**
     * As {@link #lossTable(String, String, double)}, for the packets that arrive on {@code iface}
     * when {@code inbound}: they are dropped in the prerouting hook, before the namespace routes,
     * delivers or forwards them.
     */
    public static String lossTable(String table, String iface, double percent, boolean inbound) {
        long perTenThousand = BigDecimal.valueOf(percent)
                .movePointRight(2)
                .setScale(0, java.math.RoundingMode.HALF_UP)
                .longValueExact();
        String hook = inbound ? "prerouting" : "postrouting";
        String match = (inbound ? "iifname \"" : "oifname \"") + iface + "\" ";
        return "table inet " + table + " {\n"
                + "  chain " + hook + " {\n"
                + "    type filter hook " + hook + " priority -150; policy accept;\n"
                + "    " + match + "icmpv6 type " + NEIGHBOUR_DISCOVERY + " return\n"
                + "    " + match
                + (perTenThousand >= 10000 ? "" : "numgen random mod 10000 < " + perTenThousand + " ") + "drop\n"
                + "  }\n"
                + "}\n";
    }

    /**
     * The {@code ip -batch} lines that make the {@code ifb} device {@code ifb} for a link's inbound
     * shaping, up.
     */
    public static List<String> ifbAdd(String ifb) {
        return List.of("link add " + ifb + " type ifb", "link set dev " + ifb + " up");
    }

    /**
     * The {@code tc -batch} lines that redirect every packet arriving on {@code iface} to the
     * {@code ifb} device {@code ifb}, whose root qdisc then shapes them: the {@code ingress} qdisc,
     * and a u32 filter matching everything with a mirred redirect (u32 rather than matchall, which
     * some kernels lack).
     */
    public static List<String> ingressRedirect(String iface, String ifb) {
        return List.of(
                "qdisc add dev " + iface + " handle ffff: ingress",
                "filter add dev " + iface + " parent ffff: protocol all prio 1 u32 match u32 0 0"
                        + " action mirred egress redirect dev " + ifb);
    }

    /** The {@code tc} argv that removes {@code iface}'s ingress qdisc and with it the redirect to its ifb. */
    public static List<String> ingressClear(String iface) {
        return List.of("tc", "qdisc", "del", "dev", iface, "handle", "ffff:", "ingress");
    }

    /**
     * An nft script for one namespace of a partition: it drops every packet this namespace
     * receives from the addresses in {@code from}, before connection tracking, so open
     * connections are cut as well. Packets are dropped where they arrive, never where they leave:
     * the sender sees silence, as across a real partition, not a local "operation not permitted".
     * A two-way partition loads one on each side; a one-way one only at the receiver.
     *
     * @param from addresses whose packets are dropped, bare, IPv4 and IPv6 mixed
     * @throws IllegalArgumentException when {@code from} is empty: there would be nothing to cut
     */
    public static String partitionTable(String table, Collection<String> from) {
        if (from.isEmpty()) {
            throw new IllegalArgumentException("a partition needs the other side's addresses, and it has none");
        }
        StringBuilder out = new StringBuilder("table inet " + table + " {\n");
        // Priority -300 runs before connection tracking, so established connections are cut too.
        out.append("  chain input {\n    type filter hook input priority -300; policy accept;\n");
        rules(out, "saddr", from);
        return out.append("  }\n}\n").toString();
    }

    private static void rules(StringBuilder out, String field, Collection<String> addresses) {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        for (String address : addresses) {
            (address.contains(":") ? v6 : v4).add(address.toLowerCase(Locale.ROOT));
        }
        if (!v4.isEmpty()) {
            out.append("    ip ")
                    .append(field)
                    .append(" { ")
                    .append(String.join(", ", v4))
                    .append(" } drop\n");
        }
        if (!v6.isEmpty()) {
            out.append("    ip6 ")
                    .append(field)
                    .append(" { ")
                    .append(String.join(", ", v6))
                    .append(" } drop\n");
        }
    }

    /** What a TCP fault does to the segments of the connections it matches. */
    public enum TcpFault {
        /** Answered with a TCP reset: Toxiproxy's {@code reset_peer}. */
        RESET,
        /** Dropped: the connection goes silent while the link stays up (Toxiproxy's {@code timeout}). */
        SILENCE,
        /** Answered with a reset once the connection has carried a number of bytes (Toxiproxy's {@code limit_data}). */
        LIMIT
    }

    /**
     * The call that asks for {@code fault} on {@code port}, as the user wrote it: {@code handle} is
     * what comes before the method (e.g. {@code lab.link("a", "eth0").}) and {@code reset} the name
     * of that handle's reset method.
     *
     * @throws IllegalArgumentException for a port outside 1-65535 or a limit below 1, naming the call
     */
    public static String tcpFaultCall(String handle, String reset, TcpFault fault, int port, long bytes) {
        String call = handle
                + switch (fault) {
                    case RESET -> reset + "(" + port + ")";
                    case SILENCE -> "silence(" + port + ")";
                    case LIMIT -> "limitData(" + port + ", " + bytes + ")";
                };
        port(call, port);
        if (fault == TcpFault.LIMIT) {
            bytes(call, bytes);
        }
        return call;
    }

    /** {@code port}, if it is a TCP port. */
    public static int port(String call, int port) {
        if (port < 1 || port > 65535) {
            throw refused(call, "a TCP port is 1-65535; pass the port the server listens on");
        }
        return port;
    }

    /** {@code bytes}, if it is a positive count. */
    public static long bytes(String call, long bytes) {
        if (bytes < 1) {
            throw refused(call, "the limit is a number of bytes, at least 1; pass e.g. limitData(8080, 10_000)");
        }
        return bytes;
    }

    /**
     * An nft script for a TCP fault on {@code iface}: every segment to or from TCP port
     * {@code port} that arrives on, leaves by or is forwarded through the interface is answered
     * with a reset ({@link TcpFault#RESET}), dropped ({@link TcpFault#SILENCE}), or answered with a
     * reset once its connection has carried more than {@code bytes} bytes, both directions and
     * headers counted by conntrack ({@link TcpFault#LIMIT}). A reset on input goes to the remote
     * end, on output to the local socket, so both ends see the connection reset.
     */
    public static String tcpFaultTable(String table, String iface, TcpFault fault, int port, long bytes) {
        // A reset the rule sends carries the port too: it must pass, or the reset never arrives.
        String condition = (fault == TcpFault.SILENCE ? "" : " tcp flags & rst == 0")
                + (fault == TcpFault.LIMIT ? " ct bytes > " + bytes : "");
        String verdict = fault == TcpFault.SILENCE ? " drop" : " reject with tcp reset";
        String in = "iifname \"" + iface + "\"";
        String outward = "oifname \"" + iface + "\"";
        StringBuilder out = new StringBuilder("table inet " + table + " {\n");
        tcpChain(out, "input", List.of(in), port, condition + verdict);
        tcpChain(out, "output", List.of(outward), port, condition + verdict);
        tcpChain(out, "forward", List.of(in, outward), port, condition + verdict);
        return out.append("}\n").toString();
    }

    private static void tcpChain(StringBuilder out, String hook, List<String> interfaces, int port, String action) {
        out.append("  chain ")
                .append(hook)
                .append(" {\n    type filter hook ")
                .append(hook)
                .append(" priority 0; policy accept;\n");
        for (String iface : interfaces) {
            for (String field : List.of("dport", "sport")) {
                out.append("    ")
                        .append(iface)
                        .append(" tcp ")
                        .append(field)
                        .append(' ')
                        .append(port)
                        .append(action)
                        .append('\n');
            }
        }
        out.append("  }\n");
    }

    /**
     * An nft script, for the namespace that opens the connections, that makes a TCP fault on the
     * connections it opens to port {@code port} of the addresses {@code peer}: its segments to
     * them (destination port {@code port}) in the output hook, and theirs back (source port
     * {@code port}) in the input hook. Connections the peer opens to this namespace have the port
     * on the other side, so they pass; so does every other namespace's traffic. The verdicts are
     * those of {@link #tcpFaultTable}.
     *
     * @param peer the peer's addresses, bare, IPv4 and IPv6 mixed
     * @throws IllegalArgumentException when {@code peer} is empty: there would be nothing to match
     */
    public static String connectionFaultTable(
            String table, Collection<String> peer, TcpFault fault, int port, long bytes) {
        if (peer.isEmpty()) {
            throw new IllegalArgumentException("a connection fault needs the peer's addresses, and it has none");
        }
        String action = (fault == TcpFault.SILENCE ? "" : " tcp flags & rst == 0")
                + (fault == TcpFault.LIMIT ? " ct bytes > " + bytes : "")
                + (fault == TcpFault.SILENCE ? " drop" : " reject with tcp reset");
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        for (String address : peer) {
            (address.contains(":") ? v6 : v4).add(address.toLowerCase(Locale.ROOT));
        }
        StringBuilder out = new StringBuilder("table inet " + table + " {\n");
        for (String[] hook : new String[][] {{"output", "daddr", "dport"}, {"input", "saddr", "sport"}}) {
            out.append("  chain ")
                    .append(hook[0])
                    .append(" {\n    type filter hook ")
                    .append(hook[0])
                    .append(" priority 0; policy accept;\n");
            for (String[] family : new String[][] {{"ip", String.join(", ", v4)}, {"ip6", String.join(", ", v6)}}) {
                if (!family[1].isEmpty()) {
                    out.append("    ")
                            .append(family[0])
                            .append(' ')
                            .append(hook[1])
                            .append(" { ")
                            .append(family[1])
                            .append(" } tcp ")
                            .append(hook[2])
                            .append(' ')
                            .append(port)
                            .append(action)
                            .append('\n');
                }
            }
            out.append("  }\n");
        }
        return out.append("}\n").toString();
    }

    /** The nft script that deletes a table this class made. */
    public static String deleteTable(String table) {
        return "delete table inet " + table + "\n";
    }

    /** {@code 30%}, {@code 2.5%}: a percentage as a note shows it. */
    public static String percent(double value) {
        return value == Math.rint(value)
                ? (long) value + "%"
                : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() + "%";
    }
}
