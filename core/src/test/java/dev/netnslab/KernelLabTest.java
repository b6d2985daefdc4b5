package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.diagnostics.LabReport;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.engine.PcapFile;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Captures, state reports and assertion messages on the real kernel, in one single-namespace lab. */
@Tag("kernel")
@DisplayName("On the kernel: captures, reports and failure messages")
class KernelLabTest {

    static Lab lab;
    static Namespace ns;

    @BeforeAll
    static void start() {
        lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null));
        ns = lab.namespace("netns1");
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Nested
    @DisplayName("Namespace.capture")
    class Captures {

        @Test
        @DisplayName("a ping across the veth lands in a valid pcap under target/")
        void pingIsCaptured() throws Exception {
            Capture capture;
            try (Capture c = ns.capture("veth2")) {
                capture = c;
                assertThat(c.isRunning()).isTrue();
                assertThat(ns).canPing(lab.host().address());
            }
            assertThat(capture.isRunning()).isFalse();
            assertThat(capture.path()).isAbsolute().exists();
            assertThat(capture.path().toString()).contains("target/netnslab/captures/" + lab.id() + "-netns1-veth2-");
            assertThat(PcapFile.hasMagic(Files.readAllBytes(capture.path()))).isTrue();
            assertThat(capture.packetCount())
                    .as("echo request and reply at least")
                    .isGreaterThanOrEqualTo(2);
            assertThat(lab.captures()).contains(capture);
        }

        @Test
        @DisplayName("lab.capture(ns, iface) is the same, and a host-side capture sees the ping too")
        void labCapture() {
            try (Capture capture = lab.capture("host", "veth1")) {
                assertThat(lab.host()).canPing("10.200.1.1");
                capture.close();
                assertThat(capture.packetCount()).isGreaterThanOrEqualTo(2);
                assertThat(capture.namespace()).isSameAs(lab.host());
            }
        }

        @Test
        @DisplayName("a capture on a quiet interface holds no packets")
        void quietInterface() {
            try (Capture capture = ns.capture("lo")) {
                capture.close();
                assertThat(capture.packetCount()).isZero();
            }
        }

        @Test
        @DisplayName("an interface that does not exist fails, listing the ones that do")
        void missingInterface() {
            assertThatThrownBy(() -> ns.capture("eth9"))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("eth9")
                    .hasMessageContaining("veth2")
                    .hasMessageContaining("lo");
        }
    }

    @Test
    @DisplayName("LabReport shows every namespace's links, addresses, routes and neighbours")
    void report() {
        assertThat(lab.host()).canPing("10.200.1.1"); // fills the neighbour tables
        String text = LabReport.capture(ApiBridge.engine(lab)).text();
        assertThat(text)
                .contains(
                        "== namespace host (" + lab.host().systemName() + ")",
                        "== namespace netns1 (" + ns.systemName() + ")",
                        "veth1",
                        "10.200.1.254/24",
                        "veth2",
                        "10.200.1.1/24",
                        "default via 10.200.1.254 dev veth2",
                        "10.200.1.1 dev veth1 lladdr",
                        "iptables-save",
                        "flowchart LR");
        assertThat(ns.neighbours()).anySatisfy(n -> assertThat(n.address()).isEqualTo("10.200.1.254"));
    }

    @Nested
    @DisplayName("assertion messages are a diagnosis")
    class Messages {

        @Test
        @DisplayName("a failing canPing names the target, the ping command, the addresses with prefixes and the routes")
        void canPingMessage() {
            assertThatThrownBy(() -> assertThat(ns).canPing("10.200.1.77"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting namespace <netns1> to reach <10.200.1.77>")
                    // On the local backend as root the echo is sent in-process (netnslab.checks=auto).
                    .hasMessageContaining("command: in-process icmp-echo 10.200.1.77 wait=250ms")
                    .hasMessageContaining("Its addresses: [lo 127.0.0.1/8, veth2 10.200.1.1/24]")
                    .hasMessageContaining(
                            "Its routes: [default via 10.200.1.254 dev veth2, 10.200.1.0/24 dev veth2 scope link src 10.200.1.1]")
                    .hasMessageContaining("Where the path breaks:");
        }

        @Test
        @DisplayName("a failing hasInterface lists the interfaces that exist")
        void hasInterfaceMessage() {
            assertThatThrownBy(() -> assertThat(ns).hasInterface("eth0"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to have interface <eth0> but it has only [lo, veth2]");
        }

        @Test
        @DisplayName("the passing twins pass")
        void passingTwins() {
            assertThat(ns).hasInterface("veth2").canPing("10.200.1.254");
        }
    }
}
