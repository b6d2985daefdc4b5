package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static dev.netnslab.testing.Listeners.awaitListening;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.backend.rootless.RootlessBackend;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.engine.NeighbourBudget;
import dev.netnslab.internal.engine.PcapFile;
import dev.netnslab.internal.reaper.Reaper;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.testing.Kernel;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Labs on the rootless backend: every lab of the JVM inside one unprivileged user namespace. As
 * root these run the same way (root may create user namespaces too); CI also runs the examples on
 * it as an ordinary user.
 */
@Tag("kernel")
@DisplayName("Labs on the rootless backend")
class RootlessLabTest {

    private static final Settings DEFAULTS = Settings.from(key -> Optional.empty());
    private static RootlessBackend backend;

    @BeforeAll
    static void backend() {
        backend = RootlessBackend.start(DEFAULTS);
    }

    private static Lab start(LabSpec spec) {
        return Lab.start(spec, backend, DEFAULTS);
    }

    @Nested
    @DisplayName("Part 1: one namespace and the host sandbox")
    class Seed {

        @Test
        @DisplayName("host and namespace reach each other, and the namespace has its default route")
        void reachable() {
            try (Lab lab = start(LabSpec.singleNamespace("netns1", "10.200.1.1", null))) {
                Namespace ns = lab.namespace("netns1");
                assertThat(lab.host()).canPing("10.200.1.1");
                assertThat(ns)
                        .canPing(lab.host().address())
                        .hasInterface("veth2")
                        .hasRoute("default");
                assertThat(ns.exec("id", "-u").stdout())
                        .as("root inside the user namespace")
                        .isEqualTo("0\n");
                assertThat(ns.exec("pwd").stdout())
                        .as("commands run where the JVM does, as on the local backend")
                        .isEqualTo(System.getProperty("user.dir") + "\n");
            }
        }

        @Test
        @DisplayName("Java code cannot enter its namespaces, and says why; the checks run as processes instead")
        void noInProcessCode() {
            try (Lab lab = start(LabSpec.singleNamespace("netns1", "10.200.1.1", null))) {
                Namespace ns = lab.namespace("netns1");
                assertThatThrownBy(() -> ns.call(() -> 1))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("rootless backend")
                        .hasMessageContaining("cannot join")
                        .hasMessageContaining("Use exec() or spawn()");
                assertThatThrownBy(ns::executor).isInstanceOf(UnsupportedOperationException.class);
                assertThat(ApiBridge.engine(ns).checkThread())
                        .as("checks fall back to processes")
                        .isEmpty();
                assertThat(ns).canPing(lab.host().address());
            }
        }

        @Test
        @DisplayName("twin: with veth2 down, the same ping fails")
        void unreachableWhenTheLinkIsDown() {
            try (Lab lab = start(LabSpec.singleNamespace("netns1", "10.200.1.1", null))) {
                assertThat(lab.namespace("netns1")
                                .exec("ip", "link", "set", "veth2", "down")
                                .isSuccess())
                        .isTrue();
                assertThat(lab.host()).cannotPing("10.200.1.1");
            }
        }

        @Test
        @DisplayName("its namespaces are not in the machine's ip netns list, and are gone after close")
        void namesStayInsideTheUserNamespace() {
            Lab lab = start(LabSpec.singleNamespace("netns1", "10.200.1.1", null));
            String name = lab.namespace("netns1").systemName();
            try {
                assertThat(backend.runner()
                                .run(dev.netnslab.internal.exec.Command.of(
                                        java.time.Duration.ofSeconds(5), List.of("ip", "netns", "list")))
                                .stdout())
                        .contains(name);
                assertThat(Kernel.namespaces()).doesNotContain(name);
            } finally {
                lab.close();
            }
            assertThat(backend.runner()
                            .run(dev.netnslab.internal.exec.Command.of(
                                    java.time.Duration.ofSeconds(5), List.of("ip", "netns", "list")))
                            .stdout())
                    .doesNotContain(name);
        }

        @Test
        @DisplayName("a spawned server accepts connections, and once it is stopped the same connect fails")
        void spawnedServer() {
            try (Lab lab = start(LabSpec.singleNamespace("netns1", "10.200.1.1", null))) {
                BackgroundProcess server = lab.namespace("netns1")
                        .spawn("socat", "TCP-LISTEN:8080,bind=10.200.1.1,fork,reuseaddr", "SYSTEM:echo hi");
                awaitListening(lab.namespace("netns1"), 8080);
                assertThat(lab.host()).canConnect("10.200.1.1", 8080);
                assertThat(server.isAlive()).isTrue();
                server.close();
                assertThat(server.isAlive()).isFalse();
                assertThat(lab.host()).cannotConnect("10.200.1.1", 8080);
            }
        }
    }

    @Nested
    @DisplayName("topology features")
    class Features {

        private LabSpec.Builder pair() {
            return LabSpec.builder()
                    .bridge("host", "br0", "172.16.9.1/24")
                    .container("rla", "host:br0", "172.16.9.2/24")
                    .container("rlb", "host:br0", "172.16.9.3/24");
        }

        @Test
        @DisplayName("sysctls, iptables NAT and an nft table are applied")
        void sysctlsAndFirewall() {
            try (Lab lab = start(pair().ipForward("rla", true)
                    .masquerade("rla", "10.9.0.0/24", "eth0")
                    .nft("rlb", "table inet rootless {\n  chain input { type filter hook input priority 0; }\n}\n")
                    .build())) {
                Namespace a = lab.namespace("rla");
                assertThat(a.exec("sysctl", "-n", "net.ipv4.ip_forward").stdout())
                        .isEqualTo("1\n");
                assertThat(a.exec("iptables", "-w", "-t", "nat", "-S", "POSTROUTING")
                                .stdout())
                        .contains("MASQUERADE");
                assertThat(lab.namespace("rlb").exec("nft", "list", "tables").stdout())
                        .contains("table inet rootless");
                assertThat(a).canPing("172.16.9.3");
            }
        }

        @Test
        @DisplayName("a tbf qdisc shapes an interface, and 100% loss cuts it")
        void shaping() {
            try (Lab lab = start(pair().rate("rla", "eth0", "10mbit")
                    .loss("rlb", "eth0", 100)
                    .build())) {
                assertThat(lab.namespace("rla")
                                .exec("tc", "qdisc", "show", "dev", "eth0")
                                .stdout())
                        .contains("tbf");
                assertThat(lab.namespace("rla")).canPing("172.16.9.1");
                assertThat(lab.namespace("rlb")).cannotPing("172.16.9.1");
            }
        }

        @Test
        @DisplayName("VXLAN joins two nodes' bridges; with different VNIs their containers lose each other")
        void vxlan() {
            try (Lab lab = start(overlay(9, 9))) {
                assertThat(lab.namespace("rc1")).canPing("172.16.19.3");
            }
            try (Lab lab = start(overlay(9, 10))) {
                assertThat(lab.namespace("rc1")).cannotPing("172.16.19.3");
            }
        }

        private LabSpec overlay(int vni1, int vni2) {
            return LabSpec.builder()
                    .node("rn1", "10.0.19.10/24")
                    .node("rn2", "10.0.19.20/24")
                    .bridge("rn1", "br0")
                    .bridge("rn2", "br0")
                    .vxlan("rn1", "vxlan0", vni1, "eth0", "10.0.19.20")
                    .vxlan("rn2", "vxlan0", vni2, "eth0", "10.0.19.10")
                    .master("rn1", "vxlan0", "br0")
                    .master("rn2", "vxlan0", "br0")
                    .container("rc1", "rn1", "172.16.19.2/24")
                    .container("rc2", "rn2", "172.16.19.3/24")
                    .build();
        }

        @Test
        @DisplayName("a packet capture works, or says why it cannot")
        void capture() throws Exception {
            try (Lab lab = start(LabSpec.singleNamespace("netns1", "10.200.1.1", null))) {
                Namespace ns = lab.namespace("netns1");
                Optional<String> impossible = backend.whyNoCaptures();
                if (impossible.isPresent()) {
                    assertThatThrownBy(() -> ns.capture("veth2"))
                            .isInstanceOf(NetnsLabException.class)
                            .hasMessageContaining("uidmap")
                            .hasMessageContaining("/etc/sub");
                    return;
                }
                Capture capture;
                try (Capture c = ns.capture("veth2")) {
                    capture = c;
                    assertThat(ns).canPing(lab.host().address());
                }
                assertThat(PcapFile.hasMagic(Files.readAllBytes(capture.path())))
                        .isTrue();
                assertThat(capture.packetCount()).isGreaterThanOrEqualTo(2);
                assertThat(Files.getOwner(capture.path()).getName()).isEqualTo(System.getProperty("user.name"));
            }
        }
    }

    @Nested
    @DisplayName("one user namespace per JVM")
    class Shared {

        @Test
        @DisplayName("every rootless backend of the JVM uses the same namespace, and closing one leaves it standing")
        void sharedAndNotClosedByABackend() {
            RootlessBackend other = RootlessBackend.start(DEFAULTS);
            assertThat(other.enterPrefix()).isEqualTo(backend.enterPrefix());
            other.close();
            try (Lab lab = start(LabSpec.singleNamespace("netns1", "10.200.1.1", null))) {
                assertThat(lab.host()).canPing("10.200.1.1");
            }
        }

        @Test
        @DisplayName("a kept lab's instructions enter it through the user namespace, and they work")
        void keepInstructions() {
            try (Lab lab = start(LabSpec.singleNamespace("netns1", "10.200.1.1", null))) {
                String text = dev.netnslab.internal.diagnostics.LabReport.keepInstructions(ApiBridge.engine(lab));
                String enter = String.join(" ", backend.enterPrefix());
                assertThat(text)
                        .contains("until the test JVM exits")
                        .contains(enter + " ip netns exec "
                                + lab.namespace("netns1").systemName() + " bash");
                List<String> argv = new java.util.ArrayList<>(backend.enterPrefix());
                argv.addAll(List.of(
                        "ip",
                        "netns",
                        "exec",
                        lab.namespace("netns1").systemName(),
                        "ip",
                        "-o",
                        "link",
                        "show",
                        "veth2"));
                assertThat(Kernel.run(argv.toArray(String[]::new)).stdout()).contains("veth2");
            }
        }

        @Test
        @DisplayName("the neighbour budget knows the machine-wide limit, which its own namespaces do not show")
        void neighbourLimit() {
            // sysctl, not a Java read: a sysctl file read in pieces answers only the first piece.
            int machine = Integer.parseInt(Kernel.runOk("sysctl", "-n", "net.ipv4.neigh.default.gc_thresh3")
                    .strip());
            assertThat(NeighbourBudget.of(backend).limit()).isEqualTo(machine);
            assertThat(backend.runner()
                            .run(dev.netnslab.internal.exec.Command.of(
                                    java.time.Duration.ofSeconds(5),
                                    List.of("cat", dev.netnslab.internal.exec.Kernel.NeighbourLimit.FILE)))
                            .isSuccess())
                    .as("hidden inside")
                    .isFalse();
        }

        @Test
        @DisplayName("a missing ip makes the backend unavailable, with the fix, so auto can move on")
        void missingIp() {
            Settings noIp = Settings.from(key -> Optional.ofNullable(
                    java.util.Map.of("netnslab.local.ip", "/nonexistent/ip").get(key)));
            assertThatThrownBy(() -> RootlessBackend.start(noIp))
                    .isInstanceOf(dev.netnslab.backend.BackendUnavailableException.class)
                    .hasMessageContaining("'/nonexistent/ip -V' could not be run")
                    .hasMessageContaining("apt-get install -y iproute2");
        }

        @Test
        @DisplayName("a lab on it writes no ownership record, and a sweep finds nothing to do")
        void noRecord() {
            Reaper.Claim claim = Reaper.claim(backend, DEFAULTS, "nlrootls", List.of("netns1-nlrootls"));
            assertThat(claim.path()).startsWith("(none");
            assertThat(Files.exists(java.nio.file.Path.of("/run/netnslab/labs/nlrootls.lab")))
                    .isFalse();
            claim.release();
            assertThat(Reaper.sweep(backend).sweptLabs()).isEmpty();
            assertThat(Reaper.liveLabs(backend)).isEmpty();
        }
    }
}
