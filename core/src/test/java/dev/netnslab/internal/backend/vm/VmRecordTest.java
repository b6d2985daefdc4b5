package dev.netnslab.internal.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.reaper.Owner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("VmRecord: a VM's owner and qemu, in the form lab records have")
class VmRecordTest {

    private static final String BOOT = "4279970a-98b6-4567-857a-064ad056cb83";
    private static final Owner OWNER = new Owner(4242, 5993411, BOOT);
    private static final VmRecord QEMU = new VmRecord(
            "run-4242-5993411-17",
            "qemu",
            OWNER,
            Instant.parse("2026-11-29T01:45:00Z"),
            Optional.of(new VmRecord.Qemu(
                    new Owner(4311, 5993502, BOOT),
                    40123,
                    "kvm",
                    false,
                    List.of("image=/images/disk.qcow2", "memory=1G", "kernel="))));
    private static final VmRecord MULTIPASS =
            new VmRecord("netns-lab", "multipass", OWNER, Instant.parse("2026-11-29T01:45:00Z"), Optional.empty());

    @TempDir
    Path temp;

    @Test
    @DisplayName("records the UDP port forwarded to the guest's tunnel port; a record without one reads as 0")
    void tunnelForward() {
        VmRecord.Qemu q = QEMU.qemu().orElseThrow();
        VmRecord forwarded = new VmRecord(
                QEMU.vm(),
                "qemu",
                OWNER,
                QEMU.createdAt(),
                Optional.of(new VmRecord.Qemu(q.process(), q.port(), 40124, q.accel(), q.kept(), q.fingerprint())));
        assertThat(forwarded.render()).contains("\nport=40123\ntunnel-port=40124\n");
        assertThat(VmRecord.parse(forwarded.render())).isEqualTo(forwarded);
        assertThat(VmRecord.parse(QEMU.render()).qemu().orElseThrow().tunnelForward())
                .isZero();
    }

    @Test
    @DisplayName("survives a round trip through its file form; the qemu runs on its owner's boot")
    void roundTrip() {
        assertThat(VmRecord.parse(QEMU.render())).isEqualTo(QEMU);
        assertThat(VmRecord.parse(MULTIPASS.render())).isEqualTo(MULTIPASS);
        assertThat(QEMU.render())
                .startsWith("netnslab-record=1\nvm=run-4242-5993411-17\nbackend=qemu\nowner-pid=4242\n")
                .contains("\nqemu-pid=4311\nqemu-start=5993502\n")
                .endsWith("fingerprint=kernel=\nend\n")
                .doesNotContain("qemu-boot");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "vm=run-4242-5993411-17\n|vm=../../etc\n",
                "vm=run-4242-5993411-17\n|vm=a/b\n",
                "backend=qemu\n|backend=multipass\n",
                "backend=qemu\n|backend=ssh\n",
                "port=40123\n|port=70000\n",
                "qemu-start=5993502\n|",
                "end\n|",
                "keep=false\n|keep=false\nnamespace=x-nl4k2x9q\n"
            })
    @DisplayName("trusts nothing it reads")
    void refuses(String replacement) {
        String[] parts = replacement.split("\\|", -1);
        String text = QEMU.render().replace(parts[0], parts[1]);
        assertThat(text).isNotEqualTo(QEMU.render());
        assertThatThrownBy(() -> VmRecord.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("is written whole, and read back from its file")
    void file() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("run-4242-5993411-17"));
        QEMU.writeTo(dir.resolve(VmRecord.FILE));
        assertThat(VmRecord.read(dir.resolve(VmRecord.FILE), "run-4242-5993411-17", "qemu"))
                .contains(QEMU);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file is left").containsExactly(dir.resolve(VmRecord.FILE));
        }
        Files.writeString(dir.resolve(VmRecord.FILE), "netnslab-record=1\nvm=run-4242-5993411-17\n");
        assertThat(VmRecord.read(dir.resolve(VmRecord.FILE), "run-4242-5993411-17", "qemu"))
                .as("cut short")
                .isEmpty();
        assertThat(VmRecord.read(temp.resolve("absent/vm.record"), "absent", "qemu"))
                .isEmpty();
    }

    @Test
    @DisplayName("reads what older versions wrote: a qemu VM's vm.properties, a Multipass owner line")
    void olderForms() throws IOException {
        Path kept = Files.createDirectories(temp.resolve("kept"));
        Files.writeString(
                kept.resolve("vm.properties"),
                String.join(
                        "\n",
                        "#netns-lab qemu VM",
                        "pid=4311",
                        "start=5993502",
                        "boot-id=" + BOOT,
                        "port=40123",
                        "accel=kvm",
                        "owner-pid=4242",
                        "owner-start=5993411",
                        "keep=true",
                        "fingerprint=image\\=/images/disk.qcow2\\nmemory\\=1G",
                        ""));
        Optional<VmRecord> legacy = VmRecord.read(kept.resolve(VmRecord.FILE), "kept", "qemu");
        assertThat(legacy).hasValueSatisfying(record -> {
            assertThat(record.owner()).isEqualTo(OWNER);
            assertThat(record.qemu())
                    .contains(new VmRecord.Qemu(
                            new Owner(4311, 5993502, BOOT),
                            40123,
                            "kvm",
                            true,
                            List.of("image=/images/disk.qcow2", "memory=1G")));
        });

        Path ownerFile = Files.writeString(temp.resolve("multipass-netns-lab.owner"), "4242 5993411 " + BOOT + "\n");
        assertThat(VmRecord.read(ownerFile, "netns-lab", "multipass")).hasValueSatisfying(record -> {
            assertThat(record.owner()).isEqualTo(OWNER);
            assertThat(record.qemu()).isEmpty();
        });
        Files.writeString(ownerFile, "4242 5993411\n");
        assertThat(VmRecord.read(ownerFile, "netns-lab", "multipass"))
                .as("not an owner line")
                .isEmpty();
    }
}
