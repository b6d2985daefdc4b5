package dev.netnslab.internal.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("QemuImage: the base image, its format, and a downloaded image's cache and checksum")
class QemuImageTest {

    @TempDir
    Path dir;

    private static QemuConfig url(String url, String sha256) {
        Map<String, String> keys = sha256 == null
                ? Map.of(Setting.QEMU_IMAGE.key(), url)
                : Map.of(Setting.QEMU_IMAGE.key(), url, Setting.QEMU_IMAGE_SHA256.key(), sha256);
        return QemuConfig.from(Settings.of(key -> Optional.ofNullable(keys.get(key)), Map.of()));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    @DisplayName("qcow2 is told apart from raw by its magic number")
    void format() throws IOException {
        Path qcow2 = Files.write(dir.resolve("a.img"), new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3});
        Path raw = Files.write(dir.resolve("b.img"), new byte[512]);
        assertThat(QemuImage.format(qcow2)).isEqualTo("qcow2");
        assertThat(QemuImage.format(raw)).isEqualTo("raw");
    }

    @Test
    @DisplayName("the cache file is named by the checksum when one is given, and ends in the URL's file name")
    void cachePath() {
        String sum = "0123456789abcdef".repeat(4);
        assertThat(QemuImage.cachePath(
                        url("https://cloud-images.example/noble/noble-server-cloudimg-amd64.img", sum), dir))
                .isEqualTo(dir.resolve("0123456789abcdef-noble-server-cloudimg-amd64.img"));
        Path unverified = QemuImage.cachePath(url("https://cloud-images.example/x.img", null), dir);
        assertThat(unverified.getFileName().toString()).matches("[0-9a-f]{16}-x\\.img");
        assertThat(QemuImage.cachePath(url("https://other.example/x.img", null), dir))
                .isNotEqualTo(unverified);
    }

    @Test
    @DisplayName("a download whose checksum matches is moved into the cache")
    void verifiedDownload() throws Exception {
        byte[] image = "pretend this is a disk".getBytes(StandardCharsets.UTF_8);
        Path source = Files.write(dir.resolve("source.img"), image);
        Path target = dir.resolve("cache/image.img");
        QemuImage.download(source.toUri().toURL(), target, url("https://example.org/source.img", sha256(image)));
        assertThat(target).hasBinaryContent(image);
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    @DisplayName("a download whose checksum differs is refused and leaves nothing behind")
    void wrongChecksum() throws Exception {
        Path source = Files.writeString(dir.resolve("source.img"), "another image");
        Path target = dir.resolve("cache/image.img");
        String expected = "ab".repeat(32);
        assertThatThrownBy(() -> QemuImage.download(
                        source.toUri().toURL(), target, url("https://example.org/source.img", expected)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("netnslab.qemu.imageSha256 says " + expected)
                .hasMessageContaining("has SHA-256 " + sha256("another image".getBytes(StandardCharsets.UTF_8)));
        try (var files = Files.list(target.getParent())) {
            assertThat(files).isEmpty();
        }
    }
}
