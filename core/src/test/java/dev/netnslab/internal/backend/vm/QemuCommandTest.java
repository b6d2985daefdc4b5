package dev.netnslab.internal.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The qemu backend's configuration and command line")
class QemuCommandTest {

    @TempDir
    Path dir;

    private Path file(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "x");
    }

    private static Settings settings(Map<String, String> keys) {
        return Settings.of(key -> Optional.ofNullable(keys.get(key)), Map.of());
    }

    private QemuConfig debian() throws IOException {
        return QemuConfig.from(settings(Map.of(
                Setting.QEMU_IMAGE.key(),
                file("disk.qcow2").toString(),
                Setting.QEMU_KERNEL.key(),
                file("vmlinuz").toString(),
                Setting.QEMU_INITRD.key(),
                file("initrd.img").toString())));
    }

    private QemuCommand.Files files(Path folder) {
        return new QemuCommand.Files(
                folder.resolve("overlay.qcow2"),
                folder.resolve("seed"),
                folder.resolve("console.log"),
                folder.resolve("qemu.pid"));
    }

    @Nested
    @DisplayName("argv")
    class Argv {

        @Test
        @DisplayName(
                "TCG with a bounded translation cache, the kernel, the overlay, the seed, ssh forwarded from loopback")
        void tcgWithKernel() throws IOException {
            List<String> argv = QemuCommand.argv(debian(), QemuCommand.Accel.TCG, files(dir), 40022, 40023);
            assertThat(argv)
                    .containsExactly(
                            "qemu-system-x86_64",
                            "-machine",
                            "q35",
                            "-accel",
                            "tcg,tb-size=256",
                            "-m",
                            "1G",
                            "-smp",
                            "2",
                            "-nodefaults",
                            "-no-user-config",
                            "-display",
                            "none",
                            "-kernel",
                            dir.resolve("vmlinuz").toString(),
                            "-initrd",
                            dir.resolve("initrd.img").toString(),
                            "-append",
                            "root=/dev/vda rw console=ttyS0",
                            "-drive",
                            "file=" + dir.resolve("overlay.qcow2") + ",if=virtio,format=qcow2",
                            "-drive",
                            "file.driver=vvfat,file.dir=" + dir.resolve("seed")
                                    + ",file.label=cidata,format=raw,if=virtio,readonly=on",
                            "-netdev",
                            "user,id=net0,hostfwd=tcp:127.0.0.1:40022-:22,hostfwd=udp:127.0.0.1:40023-:4790",
                            "-device",
                            "virtio-net-pci,netdev=net0",
                            "-serial",
                            "file:" + dir.resolve("console.log"),
                            "-pidfile",
                            dir.resolve("qemu.pid").toString(),
                            "-daemonize");
        }

        @Test
        @DisplayName("KVM runs the host's CPU model; an image with its own boot loader gets no -kernel")
        void kvmWithoutKernel() throws IOException {
            QemuConfig config = QemuConfig.from(settings(Map.of(
                    Setting.QEMU_IMAGE.key(),
                    file("ubuntu.img").toString(),
                    Setting.QEMU_MEMORY.key(),
                    "2g",
                    Setting.QEMU_CPUS.key(),
                    "4")));
            List<String> argv = QemuCommand.argv(config, QemuCommand.Accel.KVM, files(dir), 40022, 40023);
            assertThat(String.join(" ", argv))
                    .contains("-accel kvm -cpu host -m 2G -smp 4 ")
                    .doesNotContain("-kernel", "-initrd", "-append", "tcg");
        }

        @Test
        @DisplayName("a comma in a path is doubled, as qemu's option lists need")
        void commasAreEscaped() throws IOException {
            Path odd = Files.createDirectories(dir.resolve("a,b"));
            List<String> argv = QemuCommand.argv(debian(), QemuCommand.Accel.TCG, files(odd), 40022, 40023);
            assertThat(argv).contains("file=" + dir + "/a,,b/overlay.qcow2,if=virtio,format=qcow2");
        }

        @Test
        @DisplayName("qemu's message for a taken port is recognised, other failures are not")
        void busyPort() {
            assertThat(QemuCommand.portBusy("qemu-system-x86_64: -netdev user,id=n0,hostfwd=tcp:127.0.0.1:38335-:22: "
                            + "Could not set up host forwarding rule 'tcp:127.0.0.1:38335-:22'"))
                    .isTrue();
            assertThat(QemuCommand.portBusy("qemu-system-x86_64: -m 99T: cannot set up guest memory"))
                    .isFalse();
        }
    }

    @Nested
    @DisplayName("settings")
    class Config {

        @Test
        @DisplayName("without an image the error names the key and how to build one")
        void noImage() {
            assertThatThrownBy(() -> QemuConfig.from(settings(Map.of())))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("netnslab.qemu.image")
                    .hasMessageContaining("scripts/build-vm-image.sh DIR");
        }

        @Test
        @DisplayName("a missing image file: the key, the value and the fix")
        void missingImage() {
            Path absent = dir.resolve("nope/disk.qcow2");
            assertThatThrownBy(() -> QemuConfig.from(settings(Map.of(Setting.QEMU_IMAGE.key(), absent.toString()))))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("netnslab.qemu.image is '" + absent + "', which is not a file")
                    .hasMessageContaining("scripts/build-vm-image.sh DIR")
                    .hasMessageContaining("netnslab.qemu.kernel=DIR/vmlinuz");
        }

        @Test
        @DisplayName("a missing kernel is named too")
        void missingKernel() throws IOException {
            Map<String, String> keys = new HashMap<>(Map.of(
                    Setting.QEMU_IMAGE.key(),
                    file("disk.qcow2").toString(),
                    Setting.QEMU_KERNEL.key(),
                    dir.resolve("vmlinuz").toString()));
            assertThatThrownBy(() -> QemuConfig.from(settings(keys)))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("netnslab.qemu.kernel is '" + dir.resolve("vmlinuz") + "'");
        }

        @Test
        @DisplayName("an initrd without a kernel is refused")
        void initrdWithoutKernel() throws IOException {
            Map<String, String> keys = Map.of(
                    Setting.QEMU_IMAGE.key(),
                    file("disk.qcow2").toString(),
                    Setting.QEMU_INITRD.key(),
                    file("initrd.img").toString());
            assertThatThrownBy(() -> QemuConfig.from(settings(keys)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("netnslab.qemu.initrd")
                    .hasMessageContaining("netnslab.qemu.kernel is not");
        }

        @Test
        @DisplayName("memory, accel and the checksum are checked against their rules")
        void rules() throws IOException {
            String image = file("disk.qcow2").toString();
            assertThatThrownBy(() -> QemuConfig.from(
                            settings(Map.of(Setting.QEMU_IMAGE.key(), image, Setting.QEMU_MEMORY.key(), "lots"))))
                    .hasMessageContaining("netnslab.qemu.memory must be a size such as 768M or 2G but was 'lots'");
            assertThatThrownBy(() -> QemuConfig.from(
                            settings(Map.of(Setting.QEMU_IMAGE.key(), image, Setting.QEMU_ACCEL.key(), "hvf"))))
                    .hasMessageContaining("netnslab.qemu.accel must be one of auto, kvm, tcg but was 'hvf'");
            assertThatThrownBy(() -> QemuConfig.from(
                            settings(Map.of(Setting.QEMU_IMAGE.key(), image, Setting.QEMU_IMAGE_SHA256.key(), "abc"))))
                    .hasMessageContaining("netnslab.qemu.imageSha256 must be 64 hex digits");
        }

        @Test
        @DisplayName("a qemu VM is thrown away unless netnslab.vm.keep=true; the boot is bounded by 5 minutes")
        void defaults() throws IOException {
            QemuConfig config = debian();
            assertThat(config.keep()).isFalse();
            assertThat(config.accel()).isEqualTo("auto");
            assertThat(config.user()).isEqualTo("netnslab");
            assertThat(config.bootTimeout()).isEqualTo(Duration.ofMinutes(5));
            assertThat(config.imageIsUrl()).isFalse();
            QemuConfig kept = QemuConfig.from(settings(
                    Map.of(Setting.QEMU_IMAGE.key(), file("disk.qcow2").toString(), Setting.VM_KEEP.key(), "true")));
            assertThat(kept.keep()).isTrue();
        }

        @Test
        @DisplayName("a URL is not looked for on disk; its checksum is kept in lower case")
        void url() {
            QemuConfig config = QemuConfig.from(settings(Map.of(
                    Setting.QEMU_IMAGE.key(),
                    "https://example.org/img/noble.img",
                    Setting.QEMU_IMAGE_SHA256.key(),
                    "AB".repeat(32))));
            assertThat(config.imageIsUrl()).isTrue();
            assertThat(config.imageSha256()).contains("ab".repeat(32));
        }

        @Test
        @DisplayName("a kept VM's fingerprint changes with the image and with the cloud-init file")
        void fingerprint() throws IOException {
            QemuConfig config = debian();
            assertThat(config.fingerprint("#cloud-config\na"))
                    .isEqualTo(debian().fingerprint("#cloud-config\na"))
                    .isNotEqualTo(config.fingerprint("#cloud-config\nb"));
            QemuConfig other = QemuConfig.from(settings(
                    Map.of(Setting.QEMU_IMAGE.key(), file("other.qcow2").toString())));
            assertThat(other.fingerprint("#cloud-config\na")).isNotEqualTo(config.fingerprint("#cloud-config\na"));
        }
    }
}
