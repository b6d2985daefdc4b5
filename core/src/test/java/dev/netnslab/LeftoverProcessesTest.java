package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netnslab.backend.Backend;
import dev.netnslab.internal.backend.local.LocalBackend;
import dev.netnslab.testing.KernelSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("kernel")
@DisplayName("A daemon left inside a lab's namespace stops when the lab closes")
class LeftoverProcessesTest {

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
