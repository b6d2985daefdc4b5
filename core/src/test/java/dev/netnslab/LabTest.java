package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netnslab.backend.Backend;
import dev.netnslab.internal.backend.local.LocalBackend;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.testing.KernelSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("kernel")
@DisplayName("Lab on the real kernel")
class LabTest {

    private static final LabSpec SEED = LabSpec.singleNamespace("netns1", "10.200.1.1", null);

    private final Backend backend = LocalBackend.probe("ip");
    private KernelSnapshot before;

    @BeforeEach
    void snapshot() {
        before = KernelSnapshot.take();
    }

    @AfterEach
    void nothingLeftBehind() {
        KernelSnapshot.take().assertUnchangedSince(before);
    }

    @Test
    void buildsTheSingleNamespaceLabInASandboxAndRemovesItOnClose() {
        Lab lab = Lab.start(SEED, backend);
        Namespace ns = lab.namespace("netns1");
        assertThat(ns.name()).isEqualTo("netns1");
        assertThat(ns.systemName()).isEqualTo("netns1-" + lab.id());
        assertThat(lab.host().systemName()).isEqualTo("host-" + lab.id());
        assertThat(lab.namespaces()).containsExactly(ns);
        assertThat(KernelSnapshot.take().exists(ns.systemName())).isTrue();

        assertThat(ns.address()).isEqualTo("10.200.1.1");
        assertThat(lab.host().address()).isEqualTo("10.200.1.254");
        assertThat(ns.interfaces()).extracting(NetInterface::name).containsExactly("lo", "veth2");
        assertThat(ns.interfaces()).allSatisfy(i -> assertThat(i.isUp()).isTrue());
        assertThat(ns.addresses()).contains(new InterfaceAddress("veth2", "inet", "10.200.1.1", 24));
        assertThat(ns.routes()).contains(new Route("default", "10.200.1.254", "veth2", null, null));
        assertThat(lab.host()).canPing("10.200.1.1");
        assertThat(ns).canPing("10.200.1.254");

        lab.close();
        assertThat(KernelSnapshot.take().exists(ns.systemName())).isFalse();
        assertThat(KernelSnapshot.take().exists(lab.host().systemName())).isFalse();
        lab.close(); // idempotent
    }

    @Test
    void pingsFailOnceTheLinkIsDown() {
        try (Lab lab = Lab.start(SEED, backend)) {
            assertThat(lab.namespace("netns1")
                            .exec("ip", "link", "set", "veth2", "down")
                            .isSuccess())
                    .isTrue();
            assertThat(lab.host()).cannotPing("10.200.1.1");
            assertThat(lab.namespace("netns1")).cannotPing("10.200.1.254");
        }
    }

    @Test
    void neverChangesTheRootNamespace() {
        CommandRunner runner = new LocalRunner();
        String routes = runner.run(
                        Command.of(Duration.ofSeconds(5), List.of("ip", "-json", "route", "show", "table", "all")))
                .stdout();
        String addresses = runner.run(Command.of(Duration.ofSeconds(5), List.of("ip", "-json", "addr")))
                .stdout();
        try (Lab lab = Lab.start(SEED, backend)) {
            assertThat(lab.host()).canPing("10.200.1.1");
            assertThat(runner.run(Command.of(
                                    Duration.ofSeconds(5), List.of("ip", "-json", "route", "show", "table", "all")))
                            .stdout())
                    .isEqualTo(routes);
            assertThat(runner.run(Command.of(Duration.ofSeconds(5), List.of("ip", "-json", "addr")))
                            .stdout())
                    .isEqualTo(addresses);
        }
    }

    @Test
    void runsArgumentsLiterally(@org.junit.jupiter.api.io.TempDir Path dir) {
        try (Lab lab = Lab.start(SEED, backend)) {
            ExecResult result = lab.namespace("netns1").exec("echo", "$(id -u); touch /tmp/x");
            assertThat(result.stdout()).isEqualTo("$(id -u); touch /tmp/x\n");
            assertThat(result.isSuccess()).isTrue();
            Path marker = dir.resolve("created-by-a-shell");
            assertThat(lab.namespace("netns1")
                            .exec(
                                    "echo",
                                    "$(touch " + marker + ")",
                                    "`touch " + marker + "`",
                                    ";",
                                    "touch",
                                    marker.toString())
                            .stdout())
                    .startsWith("$(touch ");
            assertThat(Files.exists(marker)).as("a shell ran the argument").isFalse();
            assertThatThrownBy(() -> lab.namespace("netns1").exec())
                    .hasMessageContaining("argv must name at least the program");
            assertThatThrownBy(() -> lab.namespace("netns1").exec("echo", "a\0b"))
                    .hasMessageContaining("NUL byte");
        }
    }

    @Test
    void execReturnsFailuresInsteadOfThrowing() {
        try (Lab lab = Lab.start(SEED, backend)) {
            ExecResult result = lab.namespace("netns1").exec("ls", "/no/such/dir");
            assertThat(result.isSuccess()).isFalse();
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.stderr()).contains("No such file");
            assertThat(result.stdout()).isEmpty();
        }
    }

    @Test
    void leavesAForeignNamespaceWithTheUsersNameAlone() {
        CommandRunner runner = new LocalRunner();
        String foreign = "netns1";
        // someone else's netns1 must never be touched, not even by this test
        org.junit.jupiter.api.Assumptions.assumeFalse(KernelSnapshot.take().exists(foreign), "a foreign netns1 exists");
        runner.run(Command.of(Duration.ofSeconds(5), List.of("ip", "netns", "add", foreign)));
        try {
            before = KernelSnapshot.take();
            try (Lab lab = Lab.start(SEED, backend)) {
                assertThat(lab.host()).canPing("10.200.1.1");
            }
            assertThat(KernelSnapshot.take().exists(foreign)).isTrue();
        } finally {
            runner.run(Command.of(Duration.ofSeconds(5), List.of("ip", "netns", "del", foreign)));
            before = KernelSnapshot.take();
        }
    }

    @Test
    void rollsBackEverythingWhenABuildStepFails() {
        // A valid spec does not make the kernel refuse a step, so this backend swaps the namespace's
        // batch for one the kernel rejects (a gateway that is not on-link), after the root batch
        // has created both namespaces and the veth pair.
        Backend failing = new Kernel() {
            private final LocalRunner runner = new LocalRunner();

            @Override
            public String name() {
                return "failing";
            }

            @Override
            public CommandRunner runner() {
                return new CommandRunner() {
                    @Override
                    public ExecResult run(Command command) {
                        if (command.argv().contains("-n")
                                && command.argv().get(2).startsWith("netns1-")) {
                            return runner.run(Command.of(
                                            command.timeout(),
                                            List.of("ip", "-n", command.argv().get(2), "-batch", "-"))
                                    .withStdin("route add 10.99.0.0/16 via 10.77.0.1\n"));
                        }
                        return runner.run(command);
                    }

                    @Override
                    public dev.netnslab.BackgroundProcess start(Command command) {
                        return runner.start(command);
                    }

                    @Override
                    public String describe() {
                        return "failing";
                    }
                };
            }
        };
        assertThatThrownBy(() -> Lab.start(SEED, failing))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("while configuring namespace netns1-")
                .hasMessageContaining("everything the lab created so far has been removed")
                .hasMessageContaining("Nexthop has invalid gateway");
        // @AfterEach checks nothing is left
    }

    @Test
    void rejectsInvalidSpecsBeforeTouchingAnything() {
        assertThatThrownBy(() -> Lab.start(LabSpec.singleNamespace("ns;reboot", "10.200.1.1", null), backend))
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining("ns;reboot");
        assertThatThrownBy(() -> Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.300", null), backend))
                .hasMessageContaining("10.200.1.300");
    }

    @Test
    void eightIdenticalLabsRunSideBySide() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    try (Lab lab = Lab.start(SEED, backend)) {
                        assertThat(lab.host()).canPing("10.200.1.1");
                        assertThat(lab.namespace("netns1")).canPing("10.200.1.254");
                        return lab.id();
                    }
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> result : results) {
                ids.add(result.get());
            }
            assertThat(ids).doesNotHaveDuplicates().hasSize(8);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void spawnedProcessesStopWithTheLab() {
        Lab lab = Lab.start(SEED, backend);
        dev.netnslab.BackgroundProcess sleeper = lab.namespace("netns1").spawn("sleep", "60");
        assertThat(sleeper.isAlive()).isTrue();
        lab.close();
        assertThat(sleeper.isAlive()).isFalse();
    }

    @Test
    @DisplayName("a daemon left inside a namespace stops when the lab closes")
    void aDetachedDaemonIsKilledAtClose() {
        long pid;
        try (Lab lab = Lab.start(SEED, backend)) {
            Namespace ns = lab.namespace("netns1");
            // Detached from the command that started it, as an init script's daemon is.
            ExecResult started = ns.exec("sh", "-c", "setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!");
            assertThat(started.isSuccess()).as(started.describe()).isTrue();
            pid = Long.parseLong(started.stdout().strip());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            assertThat(netnsOf(pid)).isEqualTo(netnsOf(ns));
        }
        // Killed, it is gone once the machine's init has reaped it.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(ProcessHandle.of(pid)
                                .map(ProcessHandle::isAlive)
                                .orElse(false))
                        .as("the daemon (pid %d) still runs after the lab closed", pid)
                        .isFalse());
    }

    @Test
    @DisplayName("closing a lab leaves processes outside it alone")
    void aLabWithoutCommandsInsideLeavesOtherProcessesAlone() throws Exception {
        // The twin: a process outside the lab is never touched by its close.
        Process outside = new ProcessBuilder(List.of("sleep", "600")).start();
        try {
            try (Lab lab = Lab.start(SEED, backend)) {
                assertThat(lab.namespace("netns1").exec("true").isSuccess()).isTrue();
            }
            assertThat(outside.isAlive()).isTrue();
        } finally {
            outside.destroyForcibly().waitFor();
        }
    }

    private static String netnsOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String netnsOf(Namespace ns) {
        ExecResult self = ns.exec("readlink", "/proc/self/ns/net");
        return self.stdout().strip();
    }
}
