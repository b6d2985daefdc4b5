package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netnslab.testing.BridgeLabs;
import dev.netnslab.testing.Kernel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A link that goes down and up on a schedule while the test runs, on the real kernel. */
@Tag("kernel")
@DisplayName("Link.flap: down and up on a schedule, ended by its count, clear() or the lab's close")
class FlapTest {

    private static Lab lab;

    @BeforeAll
    static void start() {
        lab = Lab.start(BridgeLabs.onOneBridge("10.0.14", "a", "b").build(), Kernel.backend());
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    private static boolean isUp(Lab in, String ns) {
        return in.namespace(ns).interfaces().stream()
                .filter(i -> i.name().equals("eth0"))
                .allMatch(NetInterface::isUp);
    }

    @Test
    @DisplayName("with a count: the link goes down and comes back, then the flap ends with the link up")
    void counted() {
        Link link = lab.link("a", "eth0").flap(Duration.ofMillis(600), 2);
        assertThat(link.isFlapping()).isTrue();
        assertThat(link.toString()).contains("flapping every 600ms");
        await("eth0 down")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !isUp(lab, "a"));
        await("the flap to end").atMost(Duration.ofSeconds(10)).until(() -> !link.isFlapping());
        assertThat(isUp(lab, "a")).isTrue();
        assertThat(lab.namespace("a")).canPing("10.0.14.2");
        link.clear();
    }

    @Test
    @DisplayName("until cleared: clear() stops it and the link stays up")
    void untilCleared() {
        Link link = lab.link("a", "eth0").flap(Duration.ofMillis(200));
        await("eth0 down")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !isUp(lab, "a"));
        link.clear();
        assertThat(link.isFlapping()).isFalse();
        assertThat(link).hasToString("link a:eth0");
        await("eth0 to stay up")
                .during(Duration.ofMillis(600))
                .atMost(Duration.ofSeconds(2))
                .until(() -> isUp(lab, "a"));
        assertThat(lab.namespace("a")).canPing("10.0.14.2");
    }

    @Test
    @DisplayName("closing the lab stops the flap's thread")
    void closeStops() {
        Lab own = Lab.start(
                LabSpec.builder()
                        .bridge("host", "br0")
                        .container("x", "host:br0", "10.0.15.1/24")
                        .build(),
                Kernel.backend());
        own.link("x", "eth0").flap(Duration.ofMillis(100));
        own.close();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("netnslab-flap-x-eth0") && t.isAlive());
        assertThat(Kernel.namespacesOf(List.of(own.id()))).isEmpty();
    }

    @Test
    @DisplayName("a period or count out of range is refused before anything changes")
    void refused() {
        Link link = lab.link("b", "eth0");
        assertThatThrownBy(() -> link.flap(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lab.link(\"b\", \"eth0\").flap(10ms) is refused: a flap's period is 20 ms to 1 h (down"
                        + " for the first half, up for the second); pass e.g. flap(Duration.ofSeconds(1), 3). Nothing was"
                        + " changed.");
        assertThatThrownBy(() -> link.flap(Duration.ofSeconds(1), 0)).hasMessageContaining("the count is at least 1");
        assertThat(link.isFlapping()).isFalse();
    }
}
