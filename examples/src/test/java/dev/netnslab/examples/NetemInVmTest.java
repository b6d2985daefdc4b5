package dev.netnslab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.ExecResult;
import dev.netnslab.Lab;
import dev.netnslab.Link;
import dev.netnslab.Namespace;
import dev.netnslab.junit.NetnsLab;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * netem's impairments where the kernel has netem: the vm profile runs this class in a qemu VM whose
 * stock Debian kernel has {@code sch_netem} (the default suite leaves it out: the CI machine's
 * kernel has no netem, and there {@code NetemTest} checks the clear failure instead). Each effect is
 * measured with ping, the way a user would see it: the round trip grows by the delay, jitter spreads
 * it, duplicates show as {@code DUP!}, corruption as lost echoes or as replies ping finds damaged
 * ("wrong data byte", "BAD CHECKSUM"), and {@code clear()} brings the
 * round trip back.
 */
@Tag("kernel")
@DisplayName("netem in a VM: delay, jitter, duplicate and corrupt measured with ping; clear restores the round trip")
@NetnsLab(ns = "netns1", ip = "10.200.1.1")
class NetemInVmTest {

    private static final Pattern RTT =
            Pattern.compile("rtt min/avg/max/mdev = ([0-9.]+)/([0-9.]+)/([0-9.]+)/([0-9.]+) ms");

    private Link link;

    @AfterEach
    void clear() {
        if (link != null) {
            link.clear();
        }
    }

    /**
     * Pings 10.200.1.1 from the host side {@code count} times; what ping printed. The deadline
     * ({@code -w}) matters under {@code corrupt}: a bit flipped in the timestamp an echo carries makes
     * ping see a round trip of seconds or days, and without a deadline ping waits twice the longest
     * round trip before it ends.
     */
    private static ExecResult ping(Lab lab, int count) {
        String deadline = String.valueOf(count / 5 + 5);
        return lab.host()
                .exec("ping", "-n", "-c", String.valueOf(count), "-i", "0.2", "-W", "2", "-w", deadline, "10.200.1.1");
    }

    /** min, avg, max, mdev in ms. */
    private static double[] rtt(ExecResult ping) {
        Matcher m = RTT.matcher(ping.stdout());
        assertThat(m.find()).as("ping's summary in %s", ping.describe()).isTrue();
        return new double[] {
            Double.parseDouble(m.group(1)),
            Double.parseDouble(m.group(2)),
            Double.parseDouble(m.group(3)),
            Double.parseDouble(m.group(4))
        };
    }

    @Test
    @DisplayName("delay(100ms) adds 100 ms to the round trip, and clear() takes it away")
    void delayAndClear(Lab lab, Namespace ns) {
        link = lab.link("netns1", "veth2");
        double before = rtt(ping(lab, 5))[1];
        link.delay(Duration.ofMillis(100));
        double[] delayed = rtt(ping(lab, 5));
        assertThat(delayed[0]).as("the shortest round trip with 100 ms delay").isGreaterThanOrEqualTo(95);
        link.clear();
        double after = rtt(ping(lab, 5))[1];
        assertThat(after).as("the round trip after clear()").isLessThan(before + 50);
    }

    @Test
    @DisplayName("delay(100ms, 40ms) spreads the round trips; without jitter they are close together")
    void jitter(Lab lab, Namespace ns) {
        link = lab.link("netns1", "veth2").delay(Duration.ofMillis(100), Duration.ofMillis(40));
        double[] spread = rtt(ping(lab, 20));
        assertThat(spread[2] - spread[0]).as("max - min with 40 ms jitter").isGreaterThan(20);
        assertThat(spread[0]).isGreaterThanOrEqualTo(55);
    }

    @Test
    @DisplayName("duplicate(100) makes ping report DUP!; without it, none")
    void duplicate(Lab lab, Namespace ns) {
        assertThat(ping(lab, 3).stdout()).doesNotContain("DUP!");
        link = lab.link("netns1", "veth2").duplicate(100);
        assertThat(ping(lab, 3).stdout()).contains("DUP!");
    }

    @Test
    @DisplayName(
            "corrupt(100) damages every reply: lost to checksum failures, or damaged when ping reads it; cleared, they all come back")
    void corrupt(Lab lab, Namespace ns) {
        link = lab.link("netns1", "veth2").corrupt(100);
        ExecResult corrupted = ping(lab, 5);
        // One flipped bit per packet: in a header the kernel drops the packet; in the echo's data
        // (a checksum the veth does not verify) ping receives it and reports the damage.
        assertThat(corrupted.stdout() + corrupted.stderr())
                .satisfiesAnyOf(
                        out -> assertThat(out).doesNotContain(" 0% packet loss"),
                        out -> assertThat(out).contains("wrong data byte"),
                        out -> assertThat(out).contains("BAD CHECKSUM"));
        link.clear();
        assertThat(ping(lab, 5).stdout()).contains(" 0% packet loss");
    }
}
