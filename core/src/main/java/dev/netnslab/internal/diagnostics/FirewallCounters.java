package dev.netnslab.internal.diagnostics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packet counters of a namespace's dropping firewall rules ({@code DROP} and {@code REJECT}
 * rules, and {@code DROP} policies), read from {@code iptables-save -c} and {@code nft list ruleset}.
 * Comparing two readings around one probe shows which rule swallowed it. Pure: parses text.
 *
 * @param counters packets per rule, keyed by a description of the rule
 */
record FirewallCounters(Map<String, Long> counters) {

    /** The tables {@code iptables} keeps; with its nf_tables backend they also show up in {@code nft list ruleset}. */
    private static final Set<String> IPTABLES_TABLES = Set.of("filter", "nat", "mangle", "raw", "security");

    private static final Pattern SAVED_RULE = Pattern.compile("^\\[(\\d+):\\d+\\] (-A \\S+ .*-j (DROP|REJECT)\\b.*)$");
    private static final Pattern SAVED_POLICY = Pattern.compile("^:(\\S+) DROP \\[(\\d+):\\d+\\]$");
    private static final Pattern NFT_COUNTER = Pattern.compile("counter packets (\\d+) bytes \\d+ ?");
    private static final Pattern NFT_DROP = Pattern.compile("\\b(drop|reject)\\b");

    static final FirewallCounters NONE = new FirewallCounters(Map.of());

    FirewallCounters {
        counters = Map.copyOf(counters);
    }

    /**
     * Reads both tools' output; either may be {@code null} when the tool is missing. {@code iptables-save}
     * output from its nf_tables backend also appears in the nft listing, and is counted once.
     */
    static FirewallCounters parse(String iptablesSave, String nftRuleset) {
        Map<String, Long> counters = new LinkedHashMap<>();
        boolean iptablesOnNft = false;
        if (iptablesSave != null) {
            iptablesOnNft = iptablesSave.contains("(nf_tables)");
            String table = "?";
            for (String line : iptablesSave.split("\n")) {
                line = line.strip();
                if (line.startsWith("*")) {
                    table = line.substring(1);
                    continue;
                }
                Matcher policy = SAVED_POLICY.matcher(line);
                if (policy.matches()) {
                    counters.put(
                            "iptables -t " + table + " policy " + policy.group(1) + " DROP",
                            Long.parseLong(policy.group(2)));
                    continue;
                }
                Matcher rule = SAVED_RULE.matcher(line);
                if (rule.matches()) {
                    counters.put("iptables -t " + table + " " + rule.group(2), Long.parseLong(rule.group(1)));
                }
            }
        }
        if (nftRuleset != null) {
            String table = "?";
            String chain = "?";
            boolean skip = false;
            for (String line : nftRuleset.split("\n")) {
                line = line.strip();
                if (line.startsWith("table ")) {
                    String[] words = line.split("\\s+");
                    table = words.length > 2 ? words[1] + " " + words[2] : line;
                    skip = iptablesOnNft
                            && words.length > 2
                            && (words[1].equals("ip") || words[1].equals("ip6"))
                            && IPTABLES_TABLES.contains(words[2]);
                } else if (line.startsWith("chain ")) {
                    chain = line.split("\\s+")[1];
                } else if (!skip) {
                    Matcher counter = NFT_COUNTER.matcher(line);
                    if (counter.find() && NFT_DROP.matcher(line).find()) {
                        String rule = NFT_COUNTER.matcher(line).replaceAll("").strip();
                        counters.put(
                                "nft table " + table + " chain " + chain + ": " + rule,
                                Long.parseLong(counter.group(1)));
                    }
                }
            }
        }
        return new FirewallCounters(counters);
    }

    /** The dropping rules whose counters grew since {@code before}, each with how many packets it took. */
    List<String> movedSince(FirewallCounters before) {
        List<String> moved = new ArrayList<>();
        counters.forEach((rule, packets) -> {
            long delta = packets - before.counters.getOrDefault(rule, 0L);
            if (delta > 0) {
                moved.add(rule + " (" + delta + (delta == 1 ? " packet)" : " packets)"));
            }
        });
        return moved;
    }
}
