package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.testing.BridgeLabs;
import dev.netnslab.testing.Kernel;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Impairing what arrives on an interface: nft for loss, an ifb device for the rest, on the real kernel. */
@Tag("kernel")
@DisplayName("link.inbound(): impairments of arriving packets")
class InboundLinkTest {

    private static final String A = "10.0.23.1";
    private static final String B = "10.0.23.2";
    private static Lab lab;

    @BeforeAll
    static void start() {
        lab = Lab.start(BridgeLabs.onOneBridge("10.0.23", "a", "b").build(), Kernel.backend());
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @AfterEach
    void clear() {
        lab.link("b", "eth0").clear();
        assertNothingLeftIn(lab.namespace("b"));
    }

    private static void assertNothingLeftIn(Namespace ns) {
        assertThat(ns.exec("nft", "list", "tables").stdout()).doesNotContain("netnslab_");
        assertThat(ns.exec("ip", "-o", "link", "show").stdout()).doesNotContain("nlifb");
        assertThat(ns.exec("tc", "qdisc", "show", "dev", "eth0", "ingress").stdout())
                .doesNotContain("ingress");
    }

    @Test
    @DisplayName("inbound loss(100): b hears nothing on eth0, while what b sends still leaves; clear mends")
    void inboundLoss() {
        Link eth0 = lab.link("b", "eth0");
        eth0.inbound().loss(100);
        assertThat(lab.namespace("a")).cannotPing(B);
        assertThatThrownBy(() -> assertThat(lab.namespace("a")).canPing(B))
                .hasMessageContaining("lab.link(\"b\", \"eth0\") has inbound loss 100%");
        long received = rxPackets(lab.namespace("a"));
        assertThat(lab.namespace("b")).cannotPing(A);
        assertThat(rxPackets(lab.namespace("a")))
                .as("b's echo requests still leave b and reach a")
                .isGreaterThan(received);
        assertThat(eth0).hasToString("link b:eth0 (inbound loss 100%)");
        assertThat(eth0.inbound()).hasToString("inbound link b:eth0 (inbound loss 100%)");
        eth0.clear();
        assertThat(lab.namespace("a")).canPing(B);
        assertThat(lab.namespace("b")).canPing(A);
    }

    @Test
    @DisplayName("the twin: outbound loss(100) on b does not stop what arrives at b")
    void outboundLossIsTheOtherDirection() {
        lab.link("b", "eth0").loss(100);
        long received = rxPackets(lab.namespace("b"));
        assertThat(lab.namespace("a")).cannotPing(B);
        assertThat(rxPackets(lab.namespace("b")))
                .as("a's echo requests arrive at b; b's replies are dropped as they leave")
                .isGreaterThan(received);
    }

    @Test
    @DisplayName("inbound rate: arriving packets queue in an ifb's tbf, which counts and limits them; clear removes it")
    void inboundRate() {
        Link eth0 = lab.link("b", "eth0");
        eth0.inbound().rate("1mbit");
        String ifb = ifbOf(lab.namespace("b"));
        assertThat(lab.namespace("b").exec("tc", "qdisc", "show", "dev", ifb).stdout())
                .contains("tbf");
        assertThat(lab.namespace("a")).canPing(B);
        // 30 pings of 1400 bytes sent at once (preload): 42 KB in a burst, far beyond tbf's 4 KB
        // bucket and its 50 ms queue at 1 Mbit/s, whatever the machine's speed.
        ExecResult burst = lab.namespace("a").exec("ping", "-q", "-c", "30", "-l", "30", "-s", "1400", "-W", "1", B);
        assertThat(burst.stdout()).doesNotContain(" 0% packet loss");
        String stats =
                lab.namespace("b").exec("tc", "-s", "qdisc", "show", "dev", ifb).stdout();
        assertThat(counter(stats, "Sent \\d+ bytes (\\d+) pkt") + counter(stats, "dropped (\\d+)"))
                .as("packets that met the ifb's qdisc, sent on or dropped: %s", stats)
                .isGreaterThanOrEqualTo(30);
        assertThat(counter(stats, "overlimits (\\d+)") + counter(stats, "dropped (\\d+)"))
                .as("packets tbf held back or dropped: %s", stats)
                .isPositive();
        assertThat(eth0).hasToString("link b:eth0 (inbound rate 1mbit)");

        eth0.inbound().clear();
        assertNothingLeftIn(lab.namespace("b"));
        assertThat(lab.namespace("a")).canPing(B);
    }

    @Test
    @DisplayName("the twin: without an inbound rate, the same burst passes whole, and no ifb is made")
    void noInboundRate() {
        ExecResult burst = lab.namespace("a").exec("ping", "-q", "-c", "60", "-i", "0.01", "-s", "1400", "-W", "1", B);
        assertThat(burst.stdout()).contains(" 0% packet loss");
        assertThat(lab.namespace("b").exec("ip", "-o", "link", "show").stdout()).doesNotContain("nlifb");
    }

    @Test
    @DisplayName("inbound netem on a kernel without it: the netem message, and the inbound rate is as it was")
    void inboundNetemWithoutNetem() {
        Link eth0 = lab.link("b", "eth0");
        eth0.inbound().rate("10mbit");
        String ifb = ifbOf(lab.namespace("b"));
        boolean netem = lab.namespace("a")
                .exec("tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms")
                .isSuccess();
        lab.namespace("a").exec("tc", "qdisc", "del", "dev", "lo", "root");
        org.junit.jupiter.api.Assumptions.assumeFalse(
                netem, "this kernel has netem; the missing-netem error cannot happen");
        assertThatThrownBy(() -> eth0.inbound().delay(Duration.ofMillis(100)))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("lab.link(\"b\", \"eth0\").inbound().delay(100ms) needs the netem qdisc")
                .hasMessageContaining("Nothing was changed: link b:eth0 (inbound rate 10mbit) is as it was.");
        assertThat(ifbOf(lab.namespace("b"))).isEqualTo(ifb);
        assertThat(eth0).hasToString("link b:eth0 (inbound rate 10mbit)");
        eth0.inbound().rate("10mbit");
        eth0.clear();
        eth0.inbound().rate("10mbit");
        eth0.clear();

        assertThatThrownBy(() -> eth0.inbound().duplicate(1)).hasMessageContaining("needs the netem qdisc");
        assertNothingLeftIn(lab.namespace("b"));
        assertThat(lab.namespace("a")).canPing(B);
    }

    @Test
    @DisplayName("bad arguments are refused before anything changes")
    void refused() {
        InboundLink inbound = lab.link("b", "eth0").inbound();
        assertThatThrownBy(() -> inbound.loss(150))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lab.link(\"b\", \"eth0\").inbound().loss(150.0) is refused:")
                .hasMessageEndingWith("Nothing was changed.");
        assertThatThrownBy(() -> inbound.rate("fast")).hasMessageContaining("rate(\"1mbit\")");
        assertThatThrownBy(() -> inbound.reorder(10)).hasMessageContaining("reorder needs a delay");
        assertThat(inbound.link()).hasToString("link b:eth0");
    }

    @Test
    @DisplayName("closing the lab removes the ifb device with the namespace")
    void closeRemovesIt() {
        Lab other = Lab.start(
                LabSpec.builder()
                        .bridge("host", "br0")
                        .container("c", "host:br0", "10.0.24.1/24")
                        .build(),
                Kernel.backend());
        String system = other.namespace("c").systemName();
        try {
            other.link("c", "eth0").inbound().rate("1mbit").loss(10);
            assertThat(ifbOf(other.namespace("c"))).startsWith("nlifb");
        } finally {
            other.close();
        }
        assertThat(lab.host().exec("ip", "netns", "list").stdout()).doesNotContain(system);
    }

    private static String ifbOf(Namespace ns) {
        Matcher m = Pattern.compile("\\d+: (nlifb\\d+):")
                .matcher(ns.exec("ip", "-o", "link", "show").stdout());
        assertThat(m.find()).as("an ifb device in %s", ns.name()).isTrue();
        return m.group(1);
    }

    private static long rxPackets(Namespace ns) {
        String json = ns.exec("ip", "-s", "-j", "link", "show", "dev", "eth0").stdout();
        Matcher m =
                Pattern.compile("\"rx\":\\{\"bytes\":\\d+,\"packets\":(\\d+)").matcher(json);
        assertThat(m.find()).as("rx packets in %s", json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long counter(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        long sum = 0;
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    @Test
    @DisplayName("declared in the spec: inboundRate and inboundLoss are built, and clear() brings them back")
    void declaredInTheSpec() {
        Lab declared = Lab.start(
                LabSpec.builder()
                        .bridge("host", "br0")
                        .container("c", "host:br0", "10.0.24.1/24")
                        .container("d", "host:br0", "10.0.24.2/24")
                        .container("e", "host:br0", "10.0.24.3/24")
                        .inboundLoss("c", "eth0", 100)
                        .inboundRate("d", "eth0", "1mbit")
                        .build(),
                Kernel.backend());
        try {
            Namespace c = declared.namespace("c");
            Namespace d = declared.namespace("d");
            assertThat(d.exec("tc", "qdisc", "show", "dev", "nlin0").stdout()).contains("tbf", "rate 1Mbit");
            assertThat(d.exec("tc", "filter", "show", "dev", "eth0", "ingress").stdout())
                    .contains("mirred (Egress Redirect to device nlin0)");
            assertThat(d).cannotPing("10.0.24.1");
            assertThat(declared.namespace("e")).canPing("10.0.24.2");

            Link dLink = declared.link("d", "eth0");
            assertThat(dLink).hasToString("link d:eth0");
            dLink.inbound().rate("10mbit");
            assertThat(d.exec("tc", "qdisc", "show", "dev", "nlin0").stdout()).contains("rate 10Mbit");
            assertThat(dLink).hasToString("link d:eth0 (inbound rate 10mbit)");
            dLink.clear();
            assertThat(d.exec("tc", "qdisc", "show", "dev", "nlin0").stdout()).contains("rate 1Mbit");
            assertThat(dLink).hasToString("link d:eth0");

            declared.link("c", "eth0").clear();
            assertThat(d).as("the spec's inbound loss stays after clear()").cannotPing("10.0.24.1");
        } finally {
            declared.close();
        }
    }

    @Test
    @DisplayName("a spec's bad inbound rate or loss fails its build, naming the setting")
    void badSpec() {
        assertThatThrownBy(() -> LabSpec.builder()
                        .bridge("host", "br0")
                        .container("c", "host:br0", "10.0.24.1/24")
                        .inboundRate("c", "eth0", "fast")
                        .build())
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining("inboundRate");
        assertThatThrownBy(() -> LabSpec.builder()
                        .bridge("host", "br0")
                        .container("c", "host:br0", "10.0.24.1/24")
                        .inboundLoss("c", "eth0", 101)
                        .build())
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining("inboundLoss");
    }
}
