package dev.netnslab.internal.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Counters of dropping rules, from output captured with iptables 1.8.9 (nf_tables) and nft 1.0.6. */
class FirewallCountersTest {

    private static String captured(String name) throws IOException {
        try (InputStream in = FirewallCountersTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @DisplayName("reads DROP and REJECT rules and DROP policies, and counts iptables' own nft tables once")
    void readsDroppingRulesOnce() throws IOException {
        FirewallCounters counters =
                FirewallCounters.parse(captured("iptables-save-c.txt"), captured("nft-ruleset.txt"));

        assertThat(counters.counters())
                .containsOnly(
                        org.assertj.core.data.MapEntry.entry(
                                "iptables -t filter -A FORWARD -d 10.50.1.1/32 -p icmp -j DROP", 2L),
                        org.assertj.core.data.MapEntry.entry("iptables -t filter policy FORWARD DROP", 0L),
                        org.assertj.core.data.MapEntry.entry(
                                "nft table inet guard chain input: ip saddr 10.50.0.2 icmp type echo-request drop", 1L),
                        org.assertj.core.data.MapEntry.entry(
                                "nft table inet guard chain input: tcp dport 9 reject", 0L));
    }

    @Test
    @DisplayName("names only the rules whose counters grew")
    void namesRulesThatMoved() throws IOException {
        String saved = captured("iptables-save-c.txt");
        FirewallCounters before = FirewallCounters.parse(saved, null);
        FirewallCounters after = FirewallCounters.parse(saved.replace("[2:168]", "[3:252]"), null);

        assertThat(after.movedSince(before))
                .containsExactly("iptables -t filter -A FORWARD -d 10.50.1.1/32 -p icmp -j DROP (1 packet)");
        assertThat(before.movedSince(before)).isEmpty();
        assertThat(FirewallCounters.parse(null, null).movedSince(FirewallCounters.NONE))
                .isEmpty();
    }
}
