package dev.netnslab.internal.backend.vm;

import dev.netnslab.internal.reaper.Owner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("QemuVm: the pieces that need no qemu (process identity, sweep, console)")
class QemuVmTest {

    @TempDir
    Path home;

    @Test
    @DisplayName("a process is itself only with its own start time; a reused pid is not it")
    void processIdentity() {
        ProcessId self = ProcessId.of(ProcessHandle.current().pid()).orElseThrow();
        assertThat(self.isAlive()).isTrue();
        assertThat(new ProcessId(self.pid(), self.startTime() + 1).isAlive()).isFalse();
        assertThat(ProcessId.of(Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    @DisplayName("the sweep removes the folders of dead JVMs' VMs and leaves live ones and kept ones")
    void sweep() throws IOException {
        Owner me = Owner.current();
        Path live = Files.createDirectories(home.resolve("run-" + me.pid() + "-" + me.startTime() + "-1"));
        Path dead = Files.createDirectories(home.resolve("run-" + me.pid() + "-" + (me.startTime() + 1) + "-2"));
        Files.writeString(dead.resolve("overlay.qcow2"), "x");
        Path kept = Files.createDirectories(home.resolve("kept"));
        Path foreign = Files.createDirectories(home.resolve("run-not-a-pid-3"));

        QemuFolders.sweep(home);

        assertThat(live).exists();
        assertThat(dead).doesNotExist();
        assertThat(kept).exists();
        assertThat(foreign).exists();
    }

    @Test
    @DisplayName("the console's last lines come without colour codes or carriage returns")
    void consoleTail() throws IOException {
        Path log = Files.writeString(home.resolve("console.log"),
                "one\r\n\u001B[0;32m  OK  \u001B[0m] Started ssh.service\r\nthree\r\n");
        assertThat(QemuVm.tail(log, 2)).isEqualTo("  OK  ] Started ssh.service\nthree");
        assertThat(QemuVm.tail(home.resolve("absent.log"), 2)).startsWith("(no console output");
    }
}
