package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.backend.Backend;
import dev.netnslab.internal.backend.local.LocalBackend;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.testing.Kernel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Topology features on the real kernel: settings applied, failures rolled back, large labs flagged. */
@Tag("kernel")
@DisplayName("Topology labs on the local kernel")
class TopologyLabSystemTest {

    private static Backend backend;

    @BeforeAll
    static void backend() {
        backend = LocalBackend.probe("ip");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Lab start(LabSpec spec, Map<String, String> settings) {
        return Lab.start(spec, backend, Settings.from(key -> Optional.ofNullable(settings.get(key))));
    }

    private static Lab start(LabSpec spec) {
        return start(spec, Map.of());
    }

    private static LabSpec.Builder pair() {
        return LabSpec.builder()
                .bridge("host", "br0", "172.16.7.1/24")
                .container("tla", "host:br0", "172.16.7.2/24")
                .container("tlb", "host:br0", "172.16.7.3/24");
    }

    /**
     * Checks that no namespace of these logical names is left. Other labs may come and go on the
     * machine meanwhile, so the check looks for this test's names, not for an unchanged list.
     */
    private static void assertNoneLeft(String... logicalNames) {
        List<String> left = Kernel.namespaces().stream()
                .filter(ns -> java.util.Arrays.stream(logicalNames).anyMatch(name -> ns.startsWith(name + "-nl")))
                .toList();
        assertThat(left).as("namespaces left behind").isEmpty();
    }

    @Nested
    @DisplayName("settings are applied inside the lab's namespaces")
    class Settings_ {

        @Test
        @DisplayName("sysctls: ip_forward and rp_filter")
        void sysctls() {
            try (Lab lab =
                    start(pair().ipForward("tla", true).rpFilter("tla", 2).build())) {
                Namespace a = lab.namespace("tla");
                assertThat(a.exec("sysctl", "-n", "net.ipv4.ip_forward", "net.ipv4.conf.all.rp_filter")
                                .stdout())
                        .isEqualTo("1\n2\n");
                assertThat(lab.namespace("tlb")
                                .exec("sysctl", "-n", "net.ipv4.ip_forward")
                                .stdout()
                                .strip())
                        .isEqualTo("0");
            }
        }

        @Test
        @DisplayName("MTU and rate: the MTU is set and a tbf qdisc shapes the interface")
        void mtuAndRate() {
            try (Lab lab = start(pair().mtu("tla", "eth0", 1400)
                    .rate("tla", "eth0", "10mbit")
                    .build())) {
                Namespace a = lab.namespace("tla");
                assertThat(a.interfaces())
                        .filteredOn(i -> i.name().equals("eth0"))
                        .extracting(NetInterface::mtu)
                        .containsExactly(1400);
                assertThat(a.exec("tc", "qdisc", "show", "dev", "eth0").stdout())
                        .contains("tbf")
                        .contains("rate 10Mbit");
                assertThat(a).canPing("172.16.7.3");
            }
        }

        @Test
        @DisplayName("loss: 100% loss cuts the link, and the rule uses the statistic match")
        void loss() {
            try (Lab lab = start(pair().loss("tla", "eth0", 100).build())) {
                Namespace a = lab.namespace("tla");
                assertThat(a.exec("iptables", "-w", "-t", "mangle", "-S", "POSTROUTING")
                                .stdout())
                        .contains("-o eth0 -m statistic --mode random --probability 1")
                        .contains("-j DROP");
                assertThat(a).cannotPing("172.16.7.3");
                assertThat(lab.namespace("tlb")).canPing("172.16.7.1");
            }
        }

        @Test
        @DisplayName("loss twin: without the rule the same ping passes")
        void noLoss() {
            try (Lab lab = start(pair().build())) {
                assertThat(lab.namespace("tla")).canPing("172.16.7.3");
            }
        }

        @Test
        @DisplayName("a VXLAN device with two remotes gets the second as an FDB entry")
        void vxlanRemotes() {
            try (Lab lab = start(LabSpec.builder()
                    .node("n1", "10.0.7.10/24")
                    .bridge("n1", "br0")
                    .vxlan("n1", "vx0", 7, "eth0", "10.0.7.20", "10.0.7.30")
                    .master("n1", "vx0", "br0")
                    .build())) {
                assertThat(lab.namespace("n1")
                                .exec("bridge", "fdb", "show", "dev", "vx0")
                                .stdout())
                        .contains("dst 10.0.7.20")
                        .contains("dst 10.0.7.30");
            }
        }
    }

    @Nested
    @DisplayName("failures roll back")
    class Failures {

        @Test
        @DisplayName("delay on a kernel without netem fails clearly, and nothing is left behind")
        void delayWithoutNetem() {
            ExecResult probe;
            try (Lab lab = start(pair().build())) {
                probe = lab.namespace("tla").exec("tc", "qdisc", "add", "dev", "eth0", "root", "netem", "delay", "1ms");
            }
            org.junit.jupiter.api.Assumptions.assumeFalse(
                    probe.isSuccess(), "this kernel has netem; the delay error cannot happen");

            assertThatThrownBy(() -> start(pair().delay("tla", "eth0", Duration.ofMillis(20))
                                    .build())
                            .close())
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("delay needs the netem qdisc")
                    .hasMessageContaining("remove delay(...)")
                    .hasMessageContaining("modprobe sch_netem")
                    .hasMessageContaining("the qemu backend")
                    .hasMessageContaining("everything the lab created so far has been removed");
            assertNoneLeft("tla", "tlb");
        }

        @Test
        @DisplayName("a rule iptables rejects fails the build, names the step and removes the lab")
        void badIptablesRule() {
            assertThatThrownBy(() -> start(pair().iptables("tla", "-A", "NO_SUCH_CHAIN", "-j", "DROP")
                                    .build())
                            .close())
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("adding an iptables rule in namespace tla")
                    .hasMessageContaining("NO_SUCH_CHAIN");
            assertNoneLeft("tla", "tlb");
        }
    }

    @Nested
    @DisplayName("the neighbour table guard")
    class Neighbours {

        private LabSpec star(int hosts) {
            LabSpec.Builder builder = LabSpec.builder().bridge("host", "br0", "10.9.0.1/16");
            for (int i = 1; i <= hosts; i++) {
                builder.container("ts" + i, "host:br0", "10.9." + (i / 250) + "." + (i % 250 + 2) + "/16");
            }
            return builder.build();
        }

        @Test
        @DisplayName(
                "with netnslab.neighbour.check=fail, a lab that could overflow gc_thresh3 is refused before anything is created")
        void failMode() {
            long limit = Long.parseLong(new LocalRunner()
                    .run(Command.of(
                            Duration.ofSeconds(5),
                            List.of("cat", dev.netnslab.internal.exec.Kernel.NeighbourLimit.FILE)))
                    .stdout()
                    .strip());
            int hosts = 1;
            while ((long) (hosts + 1) * hosts <= limit) {
                hosts++;
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    hosts <= 300, "gc_thresh3 is " + limit + ", too high to overflow cheaply");
            LabSpec spec = star(hosts);
            assertThatThrownBy(() -> start(spec, Map.of(Setting.NEIGHBOUR_CHECK.key(), "fail"))
                            .close())
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("up to " + (long) (hosts + 1) * hosts + " neighbour (ARP) entries")
                    .hasMessageContaining("host:br0")
                    .hasMessageContaining("gc_thresh3 is " + limit)
                    .hasMessageContaining("Nothing was created");
            assertNoneLeft("ts1", "ts2");
        }

        @Test
        @DisplayName("a lab within the limit builds in fail mode too")
        void withinLimit() {
            try (Lab lab = start(star(20), Map.of(Setting.NEIGHBOUR_CHECK.key(), "fail"))) {
                assertThat(lab.namespaces()).hasSize(20);
            }
        }

        @Test
        @DisplayName("an unknown mode is a clear configuration error")
        void unknownMode() {
            assertThatThrownBy(() -> start(pair().build(), Map.of(Setting.NEIGHBOUR_CHECK.key(), "loud")))
                    .hasMessageContaining("netnslab.neighbour.check must be one of warn, fail, off but was 'loud'");
        }
    }
}
