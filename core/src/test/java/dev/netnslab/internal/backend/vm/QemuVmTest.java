package dev.netnslab.internal.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.internal.reaper.Owner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("QemuVm: the pieces that need no qemu (sweep, records of older versions, console)")
class QemuVmTest {

    @TempDir
    Path home;

    @Test
    @DisplayName("the sweep removes the folders of dead JVMs' VMs and leaves live ones and kept ones")
    void sweep() throws IOException {
        Owner me = Owner.current();
        Path live = Files.createDirectories(home.resolve("run-" + me.pid() + "-" + me.startTime() + "-1"));
        Path dead = Files.createDirectories(home.resolve("run-" + me.pid() + "-" + (me.startTime() + 1) + "-2"));
        Files.writeString(dead.resolve("overlay.qcow2"), "x");
        Path kept = Files.createDirectories(home.resolve("kept"));
        Path foreign = Files.createDirectories(home.resolve("run-not-a-pid-3"));

        // Named after this JVM, but recorded on another boot of the machine: a JVM of before a reboot.
        Path earlierBoot = Files.createDirectories(home.resolve("run-" + me.pid() + "-" + me.startTime() + "-4"));
        Files.writeString(
                earlierBoot.resolve(VmRecord.FILE),
                new VmRecord(
                                earlierBoot.getFileName().toString(),
                                "qemu",
                                new Owner(me.pid(), me.startTime(), "0badc0de-0000-4000-8000-000000000001"),
                                Instant.now(),
                                Optional.of(new VmRecord.Qemu(
                                        new Owner(1, 1, "0badc0de-0000-4000-8000-000000000001"),
                                        2222,
                                        "tcg",
                                        false,
                                        List.of())))
                        .render());

        QemuFolders.sweep(home);

        assertThat(live).exists();
        assertThat(dead).doesNotExist();
        assertThat(kept).exists();
        assertThat(foreign).exists();
        assertThat(earlierBoot).doesNotExist();
    }

    @Test
    @DisplayName("a kept VM an older version recorded in vm.properties is still stopped before its folder is reused")
    void discardsAKeptVmOfAnOlderVersion() throws Exception {
        Process qemu = new ProcessBuilder("sleep", "300").start();
        try {
            Owner process = Owner.running(qemu.pid()).orElseThrow();
            Owner me = Owner.current();
            Path kept = Files.createDirectories(home.resolve("kept"));
            Files.writeString(
                    kept.resolve("vm.properties"),
                    String.join(
                            "\n",
                            "pid=" + process.pid(),
                            "start=" + process.startTime(),
                            "boot-id=" + process.bootId(),
                            "port=2222",
                            "accel=tcg",
                            "owner-pid=" + me.pid(),
                            "owner-start=" + me.startTime(),
                            "keep=true",
                            "fingerprint=image\\=x",
                            ""));

            assertThat(QemuFolders.recorded(kept, List.of("image=x")))
                    .as("found, so a later run may reuse it")
                    .isPresent();
            QemuFolders.discard(kept);

            assertThat(qemu.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kept).doesNotExist();
        } finally {
            qemu.destroyForcibly();
        }
    }

    @Test
    @DisplayName("the console's last lines come without colour codes or carriage returns")
    void consoleTail() throws IOException {
        Path log = Files.writeString(
                home.resolve("console.log"), "one\r\n\u001B[0;32m  OK  \u001B[0m] Started ssh.service\r\nthree\r\n");
        assertThat(QemuVm.tail(log, 2)).isEqualTo("  OK  ] Started ssh.service\nthree");
        assertThat(QemuVm.tail(home.resolve("absent.log"), 2)).startsWith("(no console output");
    }
}
