package dev.netnslab.backend;

import dev.netnslab.NetnsLabException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("CloudInit: the library's key goes into the user-data")
class CloudInitTest {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ netnslab@box";

    @Test
    void theBundledFileIsTheProjectsCloudInit() throws Exception {
        Path top = Path.of("..", "cloud-init.yaml");
        if (Files.exists(top)) {
            assertThat(CloudInit.bundled()).isEqualTo(Files.readString(top));
        }
        assertThat(CloudInit.bundled()).startsWith("#cloud-config")
                .contains("iproute2", "iputils-ping", "tcpdump", "iptables", "- default");
    }

    @Test
    void anEmptyListBecomesABlockListWithTheKey() {
        String merged = CloudInit.withKey(CloudInit.bundled(), KEY, "bundled");
        assertThat(merged).contains("ssh_authorized_keys:\n  - \"" + KEY + "\"\n").doesNotContain("ssh_authorized_keys: []");
    }

    @Test
    void anExistingBlockListKeepsItsKeysAndIndentation() {
        String merged = CloudInit.withKey("#cloud-config\nssh_authorized_keys:\n- ssh-rsa AAAA mine\npackages: [jq]\n", KEY, "f");
        assertThat(merged).isEqualTo("#cloud-config\nssh_authorized_keys:\n- \"" + KEY + "\"\n- ssh-rsa AAAA mine\npackages: [jq]\n");
    }

    @Test
    void noListGetsOne() {
        assertThat(CloudInit.withKey("#cloud-config\npackages: [jq]\n", KEY, "f"))
                .isEqualTo("#cloud-config\npackages: [jq]\nssh_authorized_keys:\n  - \"" + KEY + "\"\n");
    }

    @Test
    void aKeyListOfAUserIsNotTheTopLevelOne() {
        String merged = CloudInit.withKey("#cloud-config\nusers:\n  - name: bob\n    ssh_authorized_keys:\n      - x\n", KEY, "f");
        assertThat(merged).endsWith("      - x\nssh_authorized_keys:\n  - \"" + KEY + "\"\n");
    }

    @Test
    void refusesWhatItCannotExtend() {
        assertThatThrownBy(() -> CloudInit.withKey("#cloud-config\nssh_authorized_keys: [a, b]\n", KEY, "my.yaml"))
                .isInstanceOf(NetnsLabException.class).hasMessageContaining("my.yaml").hasMessageContaining("block list");
        assertThatThrownBy(() -> CloudInit.withKey("packages: [jq]\n", KEY, "my.yaml"))
                .isInstanceOf(NetnsLabException.class).hasMessageContaining("#cloud-config");
    }
}
