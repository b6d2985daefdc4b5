package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.testing.BridgeLabs;
import dev.netnslab.testing.Kernel;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * netem's impairments on a link, on the local kernel. Where the kernel has no netem (this project's
 * CI machine), each fails clearly and leaves the link as it was; the qemu profile's tests measure
 * them where netem exists.
 */
@Tag("kernel")
@DisplayName("netem on a link: delay, jitter, duplicate, corrupt, reorder")
class NetemTest {

    private static Lab lab;
    private static boolean netem;

    @BeforeAll
    static void start() {
        lab = Lab.start(BridgeLabs.onOneBridge("10.0.10", "a", "b").build(), Kernel.backend());
        ExecResult probe = lab.namespace("b").exec("tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms");
        netem = probe.isSuccess();
        lab.namespace("b").exec("tc", "qdisc", "del", "dev", "lo", "root");
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @AfterEach
    void clear() {
        lab.link("a", "eth0").clear();
    }

    @Test
    @DisplayName(
            "without netem: delay fails naming netem, how to get it and the qemu backend, and the link is unharmed")
    void missingNetem() {
        Assumptions.assumeFalse(netem, "this kernel has netem; the missing-netem error cannot happen");
        Link link = lab.link("a", "eth0").rate("10mbit");
        assertThatThrownBy(() -> link.delay(Duration.ofMillis(100)))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageStartingWith("lab.link(\"a\", \"eth0\").delay(100ms) needs the netem qdisc (sch_netem),"
                        + " and this kernel does not have it (tc: 'Specified qdisc kind is unknown'). To get it:"
                        + " modprobe sch_netem; where there is no such module, install the distribution's extra kernel"
                        + " modules (linux-modules-extra-$(uname -r) on Ubuntu, kernel-modules-extra on Fedora), or run"
                        + " the lab on the qemu backend (netnslab.backend=qemu), whose Debian kernel has netem.")
                .hasMessageContaining("Nothing was changed: link a:eth0 (rate 10mbit) is as it was.");
        assertThatThrownBy(() -> link.delay(Duration.ofMillis(100), Duration.ofMillis(10)))
                .hasMessageStartingWith("lab.link(\"a\", \"eth0\").delay(100ms, 10ms) needs the netem qdisc");
        assertThatThrownBy(() -> link.duplicate(1)).hasMessageContaining("duplicate(1.0) needs the netem qdisc");
        assertThatThrownBy(() -> link.corrupt(1)).hasMessageContaining("corrupt(1.0) needs the netem qdisc");

        assertThat(link).hasToString("link a:eth0 (rate 10mbit)");
        assertThat(lab.namespace("a").exec("tc", "qdisc", "show", "dev", "eth0").stdout())
                .contains("tbf");
        assertThat(lab.namespace("a")).canPing("10.0.10.2");
        link.loss(100);
        assertThat(lab.namespace("a")).cannotPing("10.0.10.2");
        link.clear();
        assertThat(lab.namespace("a")).canPing("10.0.10.2");
    }

    @Test
    @DisplayName("with netem: delay, duplicate, corrupt and reorder compose with rate, and clear removes them")
    void withNetem() {
        Assumptions.assumeTrue(netem, "this kernel has no netem; the qemu profile measures it");
        Link link = lab.link("a", "eth0")
                .delay(Duration.ofMillis(20), Duration.ofMillis(2))
                .duplicate(1)
                .corrupt(0.5)
                .reorder(10)
                .rate("10mbit");
        assertThat(link)
                .hasToString("link a:eth0 (delay 20ms ± 2ms, duplicate 1%, corrupt 0.5%, reorder 10%, rate 10mbit)");
        assertThat(lab.namespace("a").exec("tc", "qdisc", "show", "dev", "eth0").stdout())
                .contains("netem")
                .contains("delay 20ms");
        link.clear();
        assertThat(lab.namespace("a").exec("tc", "qdisc", "show", "dev", "eth0").stdout())
                .doesNotContain("netem");
        assertThat(lab.namespace("a")).canPing("10.0.10.2");
    }

    @Test
    @DisplayName("without netem: a spec with duplicate fails its build with the same message, and nothing is left")
    void specWithoutNetem() {
        Assumptions.assumeFalse(netem, "this kernel has netem; the missing-netem error cannot happen");
        LabSpec spec = LabSpec.builder()
                .namespace("nd")
                .veth("host:vnd0", "nd:vnd1")
                .duplicate("nd", "vnd1", 1)
                .build();
        assertThatThrownBy(() -> Lab.start(spec, Kernel.backend()).close())
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("delay needs the netem qdisc (sch_netem)")
                .hasMessageContaining("modprobe sch_netem")
                .hasMessageContaining("everything the lab created so far has been removed");
    }

    @Test
    @DisplayName("bad arguments are refused before the kernel is asked, saying what is allowed")
    void refused() {
        Link link = lab.link("a", "eth0");
        assertThatThrownBy(() -> link.delay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lab.link(\"a\", \"eth0\").delay(-1ms) is refused: a delay is 0 to 60 s (0 removes it);"
                        + " pass e.g. delay(Duration.ofMillis(100)). Nothing was changed.");
        assertThatThrownBy(() -> link.delay(Duration.ofMillis(10), Duration.ofMillis(20)))
                .hasMessageContaining("the jitter is 0 up to the delay (10ms)");
        assertThatThrownBy(() -> link.duplicate(101))
                .hasMessageContaining("duplicate is a percentage, 0-100, in steps of 0.01 (0 removes it)");
        assertThatThrownBy(() -> link.reorder(25))
                .hasMessageContaining("reorder(25.0) is refused: reorder needs a delay on the same link");
        assertThat(link).hasToString("link a:eth0");
    }
}
