package dev.netnslab.internal.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.NetnsLabException;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.backend.ssh.SshTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("VmBoot: waiting for a booting VM's ssh")
class VmBootTest {

    @TempDir
    Path dir;

    private SshTarget nobodyListening() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        LibraryKey key = LibraryKey.ensure(dir.resolve("home"));
        Path knownHosts =
                Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + key.publicKey() + "\n");
        return new SshTarget("127.0.0.1", port, "netnslab", key.privateKey(), knownHosts, Duration.ofSeconds(1), 1);
    }

    @Test
    @DisplayName("it keeps trying until the deadline, asking each time whether the VM still runs")
    void retriesUntilTheDeadline() throws IOException {
        AtomicInteger asked = new AtomicInteger();
        Deadline deadline = Deadline.in(Duration.ofSeconds(3));
        assertThatThrownBy(() -> VmBoot.connect(
                        nobodyListening(),
                        "qemu",
                        deadline,
                        new VmProgress("test VM"),
                        asked::incrementAndGet,
                        () -> ""))
                .isInstanceOf(NetnsLabException.class);
        assertThat(asked.get()).as("times it asked whether the VM runs").isGreaterThanOrEqualTo(2);
        assertThat(deadline.isPast())
                .as("gave up only once the deadline had passed")
                .isTrue();
    }

    @Test
    @DisplayName("a VM that has died ends the wait at once, with the VM's own reason")
    void aDeadVmEndsTheWait() throws IOException {
        AtomicInteger asked = new AtomicInteger();
        assertThatThrownBy(() -> VmBoot.connect(
                        nobodyListening(),
                        "qemu",
                        Deadline.in(Duration.ofMinutes(5)),
                        new VmProgress("test VM"),
                        () -> {
                            asked.incrementAndGet();
                            throw new BackendUnavailableException("qemu exited; console: Kernel panic");
                        },
                        () -> ""))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("qemu exited; console: Kernel panic");
        assertThat(asked.get())
                .as("times it asked whether the VM runs: no retry after the VM died")
                .isEqualTo(1);
    }
}
