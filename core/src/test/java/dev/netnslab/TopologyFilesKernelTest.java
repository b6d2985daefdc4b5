package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.testing.KernelSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What topology files and the builder methods they need do on the real kernel. */
@Tag("kernel")
@DisplayName("On the kernel: topology files, sysctls before links, bridge options, refusing routes")
class TopologyFilesKernelTest {

    @TempDir
    Path dir;

    private KernelSnapshot before;

    @BeforeEach
    void snapshot() {
        before = KernelSnapshot.take();
    }

    @AfterEach
    void nothingLeftBehind() {
        KernelSnapshot.take().assertUnchangedSince(before);
    }

    private static String read(Namespace ns, String key) {
        return ns.exec("sysctl", "-n", key).stdout().strip();
    }

    @Test
    @DisplayName("a sysctl before links reaches the interfaces created after it, and nothing was sent before it")
    void sysctlBeforeLinks() {
        LabSpec spec = LabSpec.builder()
                .namespace("a")
                .namespace("b")
                .sysctlBeforeLinks("a", "net.ipv6.conf.all.disable_ipv6", "1")
                .sysctlBeforeLinks("a", "net.ipv6.conf.default.disable_ipv6", "1")
                .sysctl("b", "net.ipv6.conf.default.disable_ipv6", "1")
                .veth("a:eth0", "b:eth0")
                .build();
        try (Lab lab = Lab.start(spec)) {
            Namespace a = lab.namespace("a");
            assertThat(read(a, "net.ipv6.conf.eth0.disable_ipv6")).isEqualTo("1");
            assertThat(a.exec("ip", "-6", "addr", "show", "dev", "eth0").stdout())
                    .doesNotContain("inet6");
            assertThat(a.exec("cat", "/sys/class/net/eth0/statistics/tx_packets")
                            .stdout()
                            .strip())
                    .as("a with IPv6 off before its link came up has sent nothing, not even an MLD report")
                    .isEqualTo("0");
            // The twin: the same key set once the links are up reaches only interfaces created later.
            assertThat(read(lab.namespace("b"), "net.ipv6.conf.eth0.disable_ipv6"))
                    .isEqualTo("0");
        }
    }

    @Test
    @DisplayName("bridge ageing time and group forwarding, port learning and flooding, as asked")
    void bridgeOptions() {
        LabSpec spec = LabSpec.builder()
                .bridge("host", "hub0", BridgeOptions.ageingTime(Duration.ZERO).withGroupForwardMask(0xfff8))
                .bridge("host", "br1")
                .namespace("a")
                .port("a:eth0", "host:hub0", "p-a")
                .learning("host", "p-a", false)
                .flood("host", "p-a", false)
                .build();
        try (Lab lab = Lab.start(spec)) {
            String hub = lab.host().exec("ip", "-d", "link", "show", "hub0").stdout();
            assertThat(hub).contains("ageing_time 0 ").contains("group_fwd_mask 0xfff8");
            assertThat(lab.host().exec("ip", "-d", "link", "show", "br1").stdout())
                    .contains("ageing_time 30000 ");
            assertThat(lab.host().exec("ip", "-d", "link", "show", "p-a").stdout())
                    .contains("learning off")
                    .contains(" flood off");
        }
    }

    @Test
    @DisplayName("unreachable and prohibit routes refuse what they match, each with its ICMP answer")
    void refusingRoutes() {
        LabSpec spec = LabSpec.builder()
                .namespace("a")
                .veth("a:eth0", "host:v0")
                .address("a", "eth0", "10.0.0.1/24")
                .address("host", "v0", "10.0.0.254/24")
                .route("a", "default", "10.0.0.254")
                .unreachable("a", "10.8.0.0/16")
                .prohibit("a", "10.9.0.0/16")
                .build();
        try (Lab lab = Lab.start(spec)) {
            Namespace a = lab.namespace("a");
            assertThat(a.exec("ip", "route", "get", "10.8.0.1").stderr()).contains("No route to host");
            assertThat(a.exec("ip", "route", "get", "10.9.0.1").stderr()).contains("Permission denied");
            assertThat(a.exec("ip", "route", "get", "10.7.0.1").stdout()).contains("via 10.0.0.254");
            assertThat(a).hasRoute("10.8.0.0/16").hasRoute("10.9.0.0/16");
        }
    }

    @Test
    @DisplayName("a startup line that fails fails the build, naming the device, the line and the output")
    void failingStartup() throws IOException {
        Files.writeString(dir.resolve("lab.conf"), "pc1[0]=\"a\"\npc2[0]=\"a\"\n");
        Files.writeString(
                dir.resolve("pc1.startup"), "ip address add 10.0.0.1/24 dev eth0\n\nip link set dev eth7 up\n");
        LabSpec spec = LabSpec.fromKathara(dir);
        assertThatThrownBy(() -> Lab.start(spec))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("running pc1.startup in pc1: line 3 (ip link set dev eth7 up) exited 1")
                .hasMessageContaining("Cannot find device \"eth7\"")
                .hasMessageContaining("everything the lab created so far has been removed");
    }

    @Test
    @DisplayName("a startup that starts a daemon this machine lacks fails before anything is created")
    void missingDaemon() throws IOException {
        Files.writeString(dir.resolve("lab.conf"), "r1[0]=\"a\"\n");
        Files.writeString(dir.resolve("r1.startup"), "ip link\n/etc/init.d/netnslab-no-such-daemon start\n");
        LabSpec spec = LabSpec.fromKathara(dir);
        assertThatThrownBy(() -> Lab.start(spec))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("r1.startup line 2 (/etc/init.d/netnslab-no-such-daemon start) starts"
                        + " netnslab-no-such-daemon, which is not installed")
                .hasMessageContaining("Nothing was created");
    }

    @Test
    @DisplayName("a containerlab exec command that fails names the node, the file's line and the command")
    void failingExec() throws IOException {
        Path file = dir.resolve("t.clab.yml");
        Files.writeString(
                file,
                "topology:\n  nodes:\n    a:\n      kind: linux\n      exec:\n        - ip link set dev eth9 up\n");
        assertThatThrownBy(() -> Lab.start(LabSpec.fromContainerlab(file)))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("running exec of a (t.clab.yml line 6) in a: the command ip link set dev eth9 up"
                        + " exited 1");
    }
}
