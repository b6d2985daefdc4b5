package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netnslab.backend.Backend;
import dev.netnslab.internal.diagnostics.LabReport;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.engine.LabEngine;
import dev.netnslab.internal.engine.LabNamespace;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.testing.Kernel;
import dev.netnslab.testing.SecondMachine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Labs over two kernels: this machine's, and a second machine's reached over SSH at its own address
 * (a namespace with its own sshd, see {@link SecondMachine}). Each test checks what its lab left on
 * both sides.
 */
@Tag("kernel")
@DisplayName("A lab over the local kernel and an SSH kernel at another address")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpanningLabTest {

    private SecondMachine machine;
    private Backend remote;
    /** Every part's id of every lab this class built, on either kernel. */
    private final List<String> partIds = new ArrayList<>();

    @BeforeAll
    void startSecondMachine() {
        assumeTrue(SecondMachine.available(), "needs root, /usr/sbin/sshd and ssh-keygen");
        machine = SecondMachine.start();
        remote = Backend.open(machine.uri());
    }

    @AfterAll
    void stopSecondMachine() {
        if (remote != null) {
            remote.close();
        }
        if (machine != null) {
            machine.close();
        }
        assertThat(Kernel.namespacesOf(partIds))
                .as("namespaces of this class' labs left on either kernel")
                .isEmpty();
    }

    /** a on the default kernel, b on the kernel called remote, joined by a veth that becomes a tunnel. */
    private static LabSpec twoKernels() {
        return LabSpec.builder()
                .namespace("a")
                .namespace("b")
                .veth("a:eth0", "b:eth0")
                .address("a", "eth0", "10.77.0.1/24")
                .address("b", "eth0", "10.77.0.2/24")
                .on("remote", "b")
                .build();
    }

    private Lab start(LabSpec spec) {
        Lab lab = Lab.start(spec, Map.of("remote", remote));
        ApiBridge.parts(lab).parts().values().forEach(part -> partIds.add(part.id()));
        return lab;
    }

    @Test
    @DisplayName("ping both ways, a 1300-byte DF ping and TCP across the tunnel; nothing left on either kernel")
    void pingDfAndTcpAcross() {
        Lab lab = start(twoKernels());
        List<String> ids = ApiBridge.parts(lab).parts().values().stream()
                .map(LabEngine::id)
                .toList();
        try {
            Namespace a = lab.namespace("a");
            Namespace b = lab.namespace("b");
            assertThat(a.kernel()).isEqualTo("default");
            assertThat(b.kernel()).isEqualTo("remote");
            assertThat(lab.host().kernel()).isEqualTo("default");

            assertThat(a).canPing("10.77.0.2");
            assertThat(b).canPing("10.77.0.1");
            ExecResult df = a.exec("ping", "-c", "1", "-W", "2", "-M", "do", "-s", "1300", "10.77.0.2");
            assertThat(df).succeeded();
            System.out.println(
                    "DF ping across: " + df.stdout().lines().skip(1).findFirst().orElse(""));

            try (BackgroundProcess server = b.spawn("socat", "TCP-LISTEN:7000,bind=10.77.0.2,fork,reuseaddr", "-")) {
                await("socat to listen in b")
                        .atMost(Duration.ofSeconds(10))
                        .until(() ->
                                !b.exec("ss", "-Hltn", "sport = :7000").stdout().isBlank());
                assertThat(a).canConnect("10.77.0.2", 7000);
            }

            // The tunnel: a VXLAN device under the spec's name, 50 bytes below the underlay's MTU.
            assertThat(b.interfaces())
                    .filteredOn(i -> i.name().equals("eth0"))
                    .singleElement()
                    .satisfies(i -> assertThat(i.mtu()).isEqualTo(1450));
            assertThat(b.exec("ip", "-d", "link", "show", "eth0").stdout())
                    .contains("vxlan id")
                    .contains("remote " + machine.peerAddress())
                    .contains("local " + machine.address());
        } finally {
            lab.close();
        }
        assertThat(Kernel.namespacesOf(ids))
                .as("namespaces of the lab left on either kernel")
                .isEmpty();
        assertThat(machine.links())
                .as("links in the second machine's own namespace")
                .containsExactly("lo", "eth0");
    }

    @Test
    @DisplayName("the failure report shows each kernel's state, and the diagram groups namespaces by kernel")
    void reportPerKernel() {
        try (Lab lab = start(twoKernels())) {
            String report = LabReport.capture(ApiBridge.parts(lab)).text();
            assertThat(report)
                    .contains("=== kernel 'default' (local")
                    .contains("=== kernel 'remote' (ssh root@" + machine.address())
                    .contains("subgraph kernel0[\"kernel default\"]")
                    .contains("subgraph kernel1[\"kernel remote\"]")
                    .contains(lab.namespace("b").systemName());
        }
    }

    @Test
    @DisplayName("twin: with the remote end of the tunnel down, the ping across fails")
    void twinRemoteEndDown() {
        try (Lab lab = start(twoKernels())) {
            Namespace a = lab.namespace("a");
            assertThat(a).canPing("10.77.0.2");
            lab.link("b", "eth0").down();
            // The path walk follows the packet through the tunnel to the other kernel, and finds the break there.
            assertThatThrownBy(() -> assertThat(a).canPing("10.77.0.2"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("10.77.0.2")
                    .hasMessageContaining("a -> b (via eth0, through the tunnel to kernel 'remote' (VXLAN VNI ")
                    .hasMessageContaining(", underlay ")
                    .hasMessageContaining(" -> " + machine.address() + ")): b's eth0 is down");
            lab.link("b", "eth0").up();
            assertThat(a).canPing("10.77.0.2");
        }
    }

    @Test
    @DisplayName("a partition between namespaces on two kernels cuts the tunnel's traffic, and heals")
    void partitionAcrossKernels() {
        try (Lab lab = start(twoKernels())) {
            try (Partition split = lab.partition("a", "b")) {
                assertThat(lab.namespace("a")).cannotPing("10.77.0.2");
                assertThat(lab.namespace("b")).cannotPing("10.77.0.1");
            }
            assertThat(lab.namespace("a")).canPing("10.77.0.2");
        }
    }

    @Test
    @DisplayName("Namespace.call runs only on the local kernel; elsewhere it says why")
    void callOnlyLocally() throws Exception {
        try (Lab lab = start(twoKernels())) {
            assertThat(lab.namespace("a").call(() -> "here")).isEqualTo("here");
            assertThatThrownBy(() -> lab.namespace("b").call(() -> "there"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("Namespace b runs on kernel 'remote', not on this JVM's: ");
        }
    }

    @Test
    @DisplayName("a spec naming a kernel that exists nowhere is refused before anything is created")
    void unknownKernel() {
        // Names only this test uses: other builds on the machine may add and remove namespaces meanwhile.
        Predicate<String> ours = name -> name.startsWith("refused-a-") || name.startsWith("refused-b-");
        Set<String> before = Kernel.namespaces().stream().filter(ours).collect(Collectors.toSet());
        LabSpec spec = LabSpec.builder()
                .namespace("refused-a")
                .namespace("refused-b")
                .veth("refused-a:eth0", "refused-b:eth0")
                .on("elsewhere", "refused-b")
                .build();
        Settings none = Settings.of(key -> Optional.empty(), Map.of());
        assertThatThrownBy(() -> Lab.start(spec, Map.of("remote", remote), none))
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessage("kernel of refused-b 'elsewhere' is invalid: the spec places [refused-b] on kernel"
                        + " 'elsewhere', but no"
                        + " kernel has that name; the kernels that exist are [default, remote]. Pass it to"
                        + " Lab.start(spec, Map.of(\"elsewhere\", backend)) or set "
                        + Setting.KERNEL.named("elsewhere") + "=<uri> (local, ssh://user@host...)");
        assertThat(Kernel.namespaces().stream().filter(ours)).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    @DisplayName("kernels come from netnslab.kernels.<name> when the caller gives none")
    void kernelFromSettings() {
        Map<String, String> keys = Map.of(Setting.KERNEL.named("remote").key(), machine.uri());
        Settings settings = Settings.of(key -> Optional.ofNullable(keys.get(key)), Map.of());
        try (Lab lab = Lab.start(twoKernels(), Map.of(), settings)) {
            ApiBridge.parts(lab).parts().values().forEach(part -> partIds.add(part.id()));
            assertThat(lab.namespace("b").kernel()).isEqualTo("remote");
            assertThat(lab.namespace("a")).canPing("10.77.0.2");
        }
    }

    @Test
    @DisplayName("when one kernel's part fails, every kernel is rolled back")
    void failedPartRollsBackEveryKernel() {
        LabSpec spec = LabSpec.builder()
                .namespace("rolla")
                .namespace("rollb")
                .veth("rolla:eth0", "rollb:eth0")
                .address("rolla", "eth0", "10.78.0.1/24")
                .address("rollb", "eth0", "10.78.0.2/24")
                .iptables("rollb", "-A", "NO-SUCH-CHAIN", "-j", "ACCEPT")
                .on("remote", "rollb")
                .build();
        assertThatThrownBy(() -> start(spec))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("rollb");
        assertThat(Kernel.namespaces()).noneMatch(name -> name.startsWith("rolla-") || name.startsWith("rollb-"));
        assertThat(machine.links()).containsExactly("lo", "eth0");
    }

    @Test
    @DisplayName("close carries on past an unreachable kernel, names it, and leaves its record for the next sweep")
    void closeWithAnUnreachableKernel() throws Exception {
        Unreachable flaky = new Unreachable(remote);
        Map<String, String> keys =
                Map.of(Setting.KERNEL_UNDERLAY.named("remote").key(), machine.address());
        Settings settings = Settings.of(key -> Optional.ofNullable(keys.get(key)), Map.of());
        Lab lab = Lab.start(twoKernels(), Map.of("remote", flaky), settings);
        LabEngine local = ApiBridge.parts(lab).parts().get("default");
        LabEngine far = ApiBridge.parts(lab).parts().get("remote");
        partIds.add(local.id());
        partIds.add(far.id());
        assertThat(lab.namespace("a")).canPing("10.77.0.2");

        flaky.down = true;
        assertThatThrownBy(lab::close)
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("on kernel 'remote'")
                .hasMessageContaining("the next run on that kernel sweeps it");
        assertThat(Kernel.namespacesOf(List.of(local.id())))
                .as("the reachable kernel's part")
                .isEmpty();
        java.nio.file.Path record = java.nio.file.Path.of("/run/netnslab/labs", far.id() + ".lab");
        assertThat(record).as("the unreachable part's ownership record").exists();

        // This second machine shares this one's /run: remove by hand what its next run would sweep.
        for (LabNamespace ns : far.namespaces().values()) {
            Kernel.run("ip", "netns", "del", ns.systemName());
        }
        java.nio.file.Files.delete(record);
    }

    /** A kernel that stops answering when told to, as a host whose network went away. */
    private static final class Unreachable implements Backend {
        private final Backend delegate;
        volatile boolean down;

        Unreachable(Backend delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public ExecResult run(List<String> argv, String stdin, java.time.Duration timeout) {
            if (down) {
                throw new NetnsLabException("connection to the flaky host lost");
            }
            return delegate.run(argv, stdin, timeout);
        }

        @Override
        public BackgroundProcess start(List<String> argv) {
            return delegate.start(argv);
        }
    }
}
