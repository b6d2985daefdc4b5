package dev.netnslab.internal.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting and stopping qemu, against a stand-in {@code qemu-system-x86_64} and {@code qemu-img}: the
 * stand-in checks the options that matter, and "runs a VM" by starting a {@code sleep} in its own
 * session and writing its pid where {@code -pidfile} says, as a daemonized qemu does. The first
 * start can be told to find its port taken, as qemu reports it.
 */
@DisplayName("QemuVm: launching, recording and stopping qemu (stand-in qemu)")
class QemuVmLaunchTest {

    private static final String QEMU = String.join(
            "\n",
            "#!/bin/bash",
            "echo \"$*\" >> \"$(dirname \"$0\")/calls.log\"",
            "while [ $# -gt 0 ]; do",
            "  case $1 in",
            "    -pidfile) pidfile=$2; shift ;;",
            "    -netdev) netdev=$2; shift ;;",
            "    -daemonize) daemonize=1 ;;",
            "  esac",
            "  shift",
            "done",
            "[ -n \"$daemonize\" ] && [ -n \"$pidfile\" ] || { echo 'stand-in qemu: want -daemonize and -pidfile' >&2; exit 64; }",
            "[[ $netdev == user,id=net0,hostfwd=tcp:127.0.0.1:*-:22,hostfwd=udp:127.0.0.1:*-:4790 ]] || { echo \"stand-in qemu: netdev $netdev\" >&2; exit 64; }",
            "busy=$(dirname \"$0\")/busy-once",
            "if [ -e \"$busy\" ]; then rm \"$busy\"; echo \"qemu-system-x86_64: -netdev $netdev: Could not set up host forwarding rule\" >&2; exit 1; fi",
            "setsid sleep 300 </dev/null >/dev/null 2>&1 &",
            "echo $! > \"$pidfile\"",
            "");
    private static final String QEMU_IMG = String.join(
            "\n",
            "#!/bin/bash",
            "[ \"$1 $2 $3 $4\" = 'create -q -f qcow2' ] && [ \"$5\" = -b ] && [ \"$7\" = -F ] || { echo \"stand-in qemu-img: $*\" >&2; exit 64; }",
            "echo \"$8\" > \"${9}\"",
            "");

    @TempDir
    Path home;

    private Path install() throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.writeString(bin.resolve("qemu-system-x86_64"), QEMU);
        Files.writeString(bin.resolve("qemu-img"), QEMU_IMG);
        for (String tool : List.of("qemu-system-x86_64", "qemu-img")) {
            Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwx------"));
        }
        return bin;
    }

    private QemuConfig config(Path bin) throws IOException {
        Path image = Files.write(home.resolve("base.qcow2"), new byte[] {'Q', 'F', 'I', (byte) 0xfb});
        Map<String, String> keys = Map.of(
                Setting.QEMU_IMAGE.key(),
                image.toString(),
                Setting.QEMU_EXECUTABLE.key(),
                bin.resolve("qemu-system-x86_64").toString());
        return QemuConfig.from(Settings.of(key -> Optional.ofNullable(keys.get(key)), Map.of()));
    }

    @Test
    @DisplayName("a taken port is replaced by another; the VM is recorded, found again, and stopped by its pid")
    void launchRecordStop() throws IOException {
        Path bin = install();
        Files.writeString(bin.resolve("busy-once"), "");
        QemuConfig config = config(bin);
        Path qemuHome = home.resolve("qemu");
        Path dir = QemuFolders.newKeptDir(qemuHome);

        QemuVm vm = QemuVm.launch(config, config.imageFile(), dir, QemuCommand.Accel.TCG, List.of("image=x"));
        try {
            assertThat(Files.readAllLines(bin.resolve("calls.log"))).hasSize(2);
            assertThat(vm.isAlive()).isTrue();
            assertThat(vm.kept()).isTrue();
            assertThat(dir.resolve("overlay.qcow2")).hasContent("qcow2");
            assertThat(QemuFolders.recorded(dir, List.of("image=x"))).hasValueSatisfying(found -> {
                assertThat(found.process()).isEqualTo(vm.process());
                assertThat(found.port()).isEqualTo(vm.port());
                assertThat(found.tunnelForward()).isEqualTo(vm.tunnelForward()).isPositive();
            });
            assertThat(QemuFolders.recorded(dir, List.of("image=y")))
                    .as("other settings: not the same VM")
                    .isEmpty();
        } finally {
            vm.stop();
        }
        assertThat(vm.isAlive()).isFalse();
        assertThat(dir).doesNotExist();
        assertThat(QemuFolders.recorded(dir, List.of("image=x"))).isEmpty();
    }

    @Test
    @DisplayName("a qemu that refuses to start: its command and its error are in the message")
    void refusedToStart() throws IOException {
        Path bin = install();
        Files.writeString(
                bin.resolve("qemu-system-x86_64"),
                "#!/bin/sh\necho 'qemu-system-x86_64: -m 1G: cannot set up guest memory' >&2\nexit 1\n");
        QemuConfig config = config(bin);
        Path dir = QemuFolders.newRunDir(home.resolve("qemu"));
        assertThatThrownBy(() -> QemuVm.launch(config, config.imageFile(), dir, QemuCommand.Accel.TCG, List.of()))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("qemu did not start")
                .hasMessageContaining("cannot set up guest memory")
                .hasMessageContaining("-accel tcg,tb-size=256");
    }
}
