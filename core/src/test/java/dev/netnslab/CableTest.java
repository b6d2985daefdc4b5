package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.testing.BridgeLabs;
import dev.netnslab.testing.Kernel;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Both ends of one veth in one call, on the real kernel. */
@Tag("kernel")
@DisplayName("lab.cable: both ends of a veth pair at once")
class CableTest {

    private static Lab lab;

    @BeforeAll
    static void start() {
        lab = Lab.start(BridgeLabs.onOneBridge("10.0.16", "a", "b").build(), Kernel.backend());
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Test
    @DisplayName("rate and loss act on both ends; loss(100) cuts both ways and clear restores the path")
    void shapesBothWays() {
        Cable cable = lab.cable("a", "eth0");
        assertThat(cable.end().namespace()).isEqualTo("a");
        assertThat(cable.peer().namespace()).isEqualTo("host");
        assertThat(cable.peer())
                .isSameAs(lab.link(cable.peer().namespace(), cable.peer().iface()));
        cable.rate("10mbit");
        assertThat(lab.namespace("a").exec("tc", "qdisc", "show", "dev", "eth0").stdout())
                .contains("tbf");
        assertThat(lab.host()
                        .exec("tc", "qdisc", "show", "dev", cable.peer().iface())
                        .stdout())
                .contains("tbf");
        assertThat(lab.namespace("a")).canPing("10.0.16.2");
        cable.loss(100);
        assertThat(lab.namespace("a")).cannotPing("10.0.16.2");
        assertThat(lab.namespace("b")).cannotPing("10.0.16.1");
        cable.clear();
        assertThat(lab.namespace("a")).canPing("10.0.16.2");
        assertThat(lab.namespace("b")).canPing("10.0.16.1");
        assertThat(cable)
                .hasToString("cable link a:eth0 <-> link host:" + cable.peer().iface());
    }

    @Test
    @DisplayName("down takes both ends down, up brings both back")
    void downAndUp() {
        Cable cable = lab.cable("b", "eth0").down();
        assertThat(lab.namespace("b")).cannotPing("10.0.16.1");
        assertThat(cable.end().toString()).contains("down");
        assertThat(cable.peer().toString()).contains("down");
        cable.up();
        assertThat(lab.namespace("b")).canPing("10.0.16.1");
        cable.down().clear();
        assertThat(lab.namespace("b")).canPing("10.0.16.1");
        assertThat(cable.end()).hasToString("link b:eth0");
    }

    @Test
    @DisplayName("without netem, delay changes neither end")
    void delayWithoutNetem() {
        Cable cable = lab.cable("a", "eth0");
        try {
            cable.delay(Duration.ofMillis(10));
            org.junit.jupiter.api.Assumptions.abort("this kernel has netem");
        } catch (NetnsLabException e) {
            assertThat(e).hasMessageContaining("needs the netem qdisc");
        } finally {
            cable.clear();
        }
        assertThat(cable.end()).hasToString("link a:eth0");
        assertThat(lab.namespace("a")).canPing("10.0.16.2");
    }

    @Test
    @DisplayName("an interface that is not a veth end is refused, listing the pairs")
    void refused() {
        assertThatThrownBy(() -> lab.cable("a", "lo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lab.cable(\"a\", \"lo\") is refused: a:lo is not one end of a veth pair")
                .hasMessageContaining("a:eth0 <-> host:");
    }
}
