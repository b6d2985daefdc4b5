package dev.netnslab.internal.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.NetnsLabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("NoCloudSeed: the user-data and meta-data a qemu VM boots with")
class NoCloudSeedTest {

    private static final String LIBRARY_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILib netnslab@box";
    private static final String HOST_PRIVATE = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAEC=\n"
            + "-----END OPENSSH PRIVATE KEY-----\n";
    private static final String HOST_PUBLIC = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost netnslab-1234";

    @Test
    @DisplayName("the project's cloud-init.yaml with the library's key for netnslab and the VM's host key")
    void userData() {
        String cloudConfig = CloudInit.withKey(CloudInit.bundled(), LIBRARY_KEY, "netnslab", "bundled");
        NoCloudSeed seed = NoCloudSeed.of(cloudConfig, "netnslab-1234", HOST_PRIVATE, HOST_PUBLIC, "bundled");

        assertThat(seed.userData())
                .startsWith(cloudConfig)
                .endsWith("ssh_keys:\n"
                        + "  ed25519_private: |\n"
                        + "    -----BEGIN OPENSSH PRIVATE KEY-----\n"
                        + "    b3BlbnNzaC1rZXktdjEAAAAA\n"
                        + "    AAAEC=\n"
                        + "    -----END OPENSSH PRIVATE KEY-----\n"
                        + "  ed25519_public: \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost\"\n");
        assertThat(seed.userData()).contains("      - \"" + LIBRARY_KEY + "\"\n");
        assertThat(seed.metaData()).isEqualTo("instance-id: netnslab-1234\nlocal-hostname: netnslab-vm\n");
        assertThat(seed.hostKey()).isEqualTo("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost");
        assertThat(seed.knownHostsLine("127.0.0.1", 40022))
                .isEqualTo("[127.0.0.1]:40022 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost");
        assertThat(seed.knownHostsLine("10.0.0.5", 22)).isEqualTo("10.0.0.5 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost");
    }

    @Test
    @DisplayName("a cloud-init file that sets ssh_keys itself is refused, saying why")
    void ownHostKeysRefused() {
        assertThatThrownBy(() -> NoCloudSeed.of(
                        "#cloud-config\nssh_keys:\n  rsa_private: x\n",
                        "i",
                        HOST_PRIVATE,
                        HOST_PUBLIC,
                        "/tmp/mine.yaml"))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("/tmp/mine.yaml sets ssh_keys")
                .hasMessageContaining("Remove ssh_keys");
    }

    @Test
    @DisplayName("a new seed gets a new ed25519 host key in OpenSSH's format, and its files are private")
    void created(@TempDir Path dir) throws IOException {
        NoCloudSeed first = NoCloudSeed.create("#cloud-config\n", "netnslab-a", "bundled");
        NoCloudSeed second = NoCloudSeed.create("#cloud-config\n", "netnslab-b", "bundled");
        assertThat(first.hostKey()).startsWith("ssh-ed25519 ").isNotEqualTo(second.hostKey());
        assertThat(first.userData()).contains("    -----BEGIN OPENSSH PRIVATE KEY-----\n");

        first.writeTo(dir.resolve("seed"));
        assertThat(Files.readString(dir.resolve("seed/user-data"))).isEqualTo(first.userData());
        assertThat(Files.readString(dir.resolve("seed/meta-data"))).contains("instance-id: netnslab-a");
        assertThat(Files.getPosixFilePermissions(dir.resolve("seed/user-data")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("seed")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }
}
