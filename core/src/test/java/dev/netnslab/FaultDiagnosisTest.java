package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static dev.netnslab.testing.Listeners.awaitListening;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.diagnostics.LabReport;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.testing.BridgeLabs;
import dev.netnslab.testing.Kernel;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A failed check names the test's own fault, and the report keeps it after the fault is undone. */
@Tag("kernel")
@DisplayName("Failures name the fault: partitions, one-way drops, TCP faults, links down")
class FaultDiagnosisTest {

    private static Lab lab;

    @BeforeAll
    static void start() {
        lab = Lab.start(BridgeLabs.onOneBridge("10.0.13", "a", "b").build(), Kernel.backend());
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    private static Namespace ns(String name) {
        return lab.namespace(name);
    }

    @Test
    @DisplayName(
            "a ping across a partition is 'cut by partition(a, b), active since ...'; the report keeps it after healing")
    void partition() {
        try (Partition split = lab.partition("a", "b")) {
            assertThatThrownBy(() -> assertThat(ns("a")).canPing("10.0.13.2"))
                    .hasMessageContaining("there: a -> b (via eth0): cut by partition(a, b), active since ")
                    .hasMessageNotContaining("look fine");
        }
        assertThat(ns("a")).canPing("10.0.13.2");
        assertThat(LabReport.capture(ApiBridge.engine(lab)).text())
                .doesNotContain("active faults (set by the test")
                .contains("faults active when the last failed check ran (")
                .contains("  a: cut off from b (partition(a, b))")
                .contains("faults undone before this report")
                .containsPattern("  partition\\(a, b\\): [0-9:.]+ until [0-9:.]+");
    }

    @Test
    @DisplayName("a one-way drop of the replies names itself on the way back")
    void oneWay() {
        try (Partition deaf = lab.partitionOneWay("b", "a")) {
            assertThatThrownBy(() -> assertThat(ns("a")).canPing("10.0.13.2"))
                    .hasMessageContaining("there: a -> b (via eth0): arrives")
                    .hasMessageContaining("back:  b -> a (via eth0): cut by partitionOneWay(b, a), active since ")
                    .hasMessageContaining("(the reply to a)");
        }
        assertThat(ns("a")).canPing("10.0.13.2");
    }

    @Test
    @DisplayName("a refused connection names the link's TCP fault; cleared, the same check passes")
    void tcpFault() {
        try (BackgroundProcess server = ns("b").spawn("socat", "TCP-LISTEN:7060,reuseaddr,fork", "EXEC:cat")) {
            awaitListening(ns("b"), 7060);
            Link link = lab.link("b", "eth0").resetConnections(7060);
            try {
                assertThatThrownBy(() -> assertThat(ns("a")).canConnect("10.0.13.2", 7060, Duration.ofMillis(500)))
                        .hasMessageContaining("lab.link(\"b\", \"eth0\") has reset port 7060");
            } finally {
                link.clear();
            }
            assertThat(ns("a")).canConnect("10.0.13.2", 7060, Duration.ofMillis(500));
        }
    }

    @Test
    @DisplayName("a link the test took down is named as the test's own fault")
    void linkDown() {
        Link link = lab.link("a", "eth0").down();
        try {
            assertThatThrownBy(() -> assertThat(ns("a")).canPing("10.0.13.2"))
                    .hasMessageContaining("(the test's own fault: lab.link(\"a\", \"eth0\") has down)");
        } finally {
            link.up();
        }
        assertThat(ns("a")).canPing("10.0.13.2");
    }
}
