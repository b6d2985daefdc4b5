package dev.netnslab.internal.diagram;

import dev.netnslab.internal.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One short line per notable setting of a namespace, for its box: sysctls ({@code ip_forward on}),
 * link shaping ({@code eth0 mtu 1450, rate 10mbit}), firewall rules ({@code MASQUERADE 172.16.0.0/24
 * out eth0}) and nft tables. A box is a summary, not a dump: the failure report lists the full
 * rules; these lines only tell a reader why the lab behaves as it does.
 */
final class SettingNotes {

    private static final Pattern RP_FILTER = Pattern.compile("net\\.ipv4\\.conf\\.[^.]+\\.rp_filter");
    /** {@code net.ipv4.conf.IFACE.KEY} or {@code net.ipv4.neigh.IFACE.KEY}, written with dots or slashes. */
    private static final Pattern PER_INTERFACE = Pattern.compile(
            "net[./]ipv[46][./](?:conf|neigh)[./]((?!all[./]|default[./])[A-Za-z0-9_.-]+?)[./]([a-z_]+)");

    private static final Pattern NFT_TABLE = Pattern.compile("(?m)^\\s*(?:add\\s+)?table\\s+(\\w+)\\s+([\\w.-]+)");

    private SettingNotes() {}

    static List<String> of(Topology topology, String ns) {
        // A set, because rpFilter writes "all" and "default" and the reader needs it once.
        Set<String> notes = new LinkedHashSet<>();
        for (Topology.SysctlSpec sysctl : topology.sysctls()) {
            if (sysctl.namespace().equals(ns)) {
                notes.add(sysctl(sysctl.key(), sysctl.value()));
            }
        }
        for (Topology.LinkSettings link : topology.links()) {
            if (link.namespace().equals(ns)) {
                String shaping = shaping(link);
                if (!shaping.isEmpty()) {
                    notes.add(link.iface() + " " + shaping);
                }
            }
        }
        for (Topology.IptablesRule rule : topology.iptables()) {
            if (rule.namespace().equals(ns)) {
                notes.add(iptables(rule.args()));
            }
        }
        for (Topology.NftScript script : topology.nftScripts()) {
            if (script.namespace().equals(ns)) {
                notes.add(nft(script.script()));
            }
        }
        return new ArrayList<>(notes);
    }

    static String sysctl(String key, String value) {
        if (key.equals("net.ipv4.ip_forward")) {
            return "ip_forward " + ("0".equals(value) ? "off" : "on");
        }
        if (key.equals("net.ipv6.conf.all.forwarding")) {
            return "ipv6 forwarding " + ("0".equals(value) ? "off" : "on");
        }
        if (RP_FILTER.matcher(key).matches()) {
            return "rp_filter " + value;
        }
        Matcher perInterface = PER_INTERFACE.matcher(key);
        if (perInterface.matches()) {
            // proxy_arp on cali1, not net/ipv4/conf/cali1/proxy_arp=1: the box is a summary.
            String setting = perInterface.group(2);
            return perInterface.group(1) + " " + setting
                    + ("proxy_arp".equals(setting) ? ("0".equals(value) ? " off" : " on") : " " + value);
        }
        return key.replaceFirst("^net\\.(ipv4\\.)?", "") + "=" + value;
    }

    static String shaping(Topology.LinkSettings link) {
        List<String> parts = new ArrayList<>();
        if (link.mac() != null) {
            parts.add("mac " + link.mac());
        }
        if (link.hairpin() != null) {
            parts.add("hairpin " + (link.hairpin() ? "on" : "off"));
        }
        if (link.isolated() != null) {
            parts.add("isolated " + (link.isolated() ? "on" : "off"));
        }
        if (link.mtu() > 0) {
            parts.add("mtu " + link.mtu());
        }
        if (link.rate() != null) {
            parts.add("rate " + link.rate());
        }
        if (link.delay() != null) {
            parts.add("delay " + link.delay().toMillis() + "ms"
                    + (link.netem().jitter().isZero()
                            ? ""
                            : " ± " + link.netem().jitter().toMillis() + "ms"));
        }
        if (link.netem().duplicate() > 0) {
            parts.add("duplicate " + percent(link.netem().duplicate()));
        }
        if (link.netem().corrupt() > 0) {
            parts.add("corrupt " + percent(link.netem().corrupt()));
        }
        if (link.netem().reorder() > 0) {
            parts.add("reorder " + percent(link.netem().reorder()));
        }
        if (link.lossPercent() > 0) {
            parts.add("loss " + percent(link.lossPercent()));
        }
        if (link.inbound().rate() != null) {
            parts.add("inbound rate " + link.inbound().rate());
        }
        if (link.inbound().lossPercent() > 0) {
            parts.add("inbound loss " + percent(link.inbound().lossPercent()));
        }
        return String.join(", ", parts);
    }

    /**
     * {@code MASQUERADE 172.16.0.0/24 out eth0} for the common NAT rule; otherwise the table, chain
     * and target with the matches that usually tell rules apart ({@code -s -d -i -o -p}).
     */
    static String iptables(List<String> args) {
        String table = "filter";
        String chain = "";
        String target = "";
        List<String> matches = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            String value = args.get(i + 1);
            switch (args.get(i)) {
                case "-t", "--table" -> table = value;
                case "-A", "--append", "-I", "--insert" -> chain = value;
                case "-j", "--jump" -> target = value;
                case "-s", "--source" -> matches.add(value);
                case "-d", "--destination" -> matches.add("to " + value);
                case "-i", "--in-interface" -> matches.add("in " + value);
                case "-o", "--out-interface" -> matches.add("out " + value);
                case "-p", "--protocol" -> matches.add(value);
                default -> {
                    continue;
                }
            }
            i++;
        }
        String what = matches.isEmpty() ? "" : " " + String.join(" ", matches);
        if (target.equals("MASQUERADE")) {
            return "MASQUERADE" + what;
        }
        return "iptables " + table + " " + chain + what + (target.isEmpty() ? "" : " -j " + target);
    }

    /** {@code nft table ip watch}, one name per table the script declares. */
    static String nft(String script) {
        Matcher matcher = NFT_TABLE.matcher(script);
        List<String> tables = new ArrayList<>();
        while (matcher.find()) {
            tables.add(matcher.group(1) + " " + matcher.group(2));
        }
        return tables.isEmpty() ? "nft script" : "nft table " + String.join(", ", tables);
    }

    private static String percent(double value) {
        return value == Math.rint(value) ? (long) value + "%" : String.format(Locale.ROOT, "%s%%", value);
    }
}
