package dev.netnslab.internal.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.NetnsLabException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CloudInit: the library's key goes into the user-data")
class CloudInitTest {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ netnslab@box";
    private static final String QUOTED = "\"" + KEY + "\"";

    @Test
    void theBundledFileIsTheProjectsCloudInit() throws Exception {
        Path top = Path.of("..", "cloud-init.yaml");
        if (Files.exists(top)) {
            assertThat(CloudInit.bundled()).isEqualTo(Files.readString(top));
        }
        assertThat(CloudInit.bundled())
                .startsWith("#cloud-config")
                .contains("iproute2", "iputils-ping", "tcpdump", "iptables", "- name: netnslab", "NOPASSWD");
    }

    @Test
    @DisplayName("the bundled file: the key goes to the netnslab user, nowhere else")
    void bundledGetsTheKeyForItsUser() {
        String merged = CloudInit.withKey(CloudInit.bundled(), KEY, "netnslab", "bundled");
        assertThat(merged)
                .contains("    ssh_authorized_keys:\n      - " + QUOTED + "\n")
                .doesNotContain("ssh_authorized_keys: []");
        assertThat(merged.lines().filter(line -> line.contains(KEY))).hasSize(1);
        assertThat(merged.replace(
                        "    ssh_authorized_keys:\n      - " + QUOTED + "\n", "    ssh_authorized_keys: []\n"))
                .isEqualTo(CloudInit.bundled());
    }

    @Test
    void aUserWithKeysKeepsThemAndTheirIndentation() {
        String yaml =
                "#cloud-config\nusers:\n  - default\n  - name: bob\n    ssh_authorized_keys:\n    - ssh-rsa AAAA mine\n"
                        + "    shell: /bin/bash\npackages: [jq]\n";
        assertThat(CloudInit.withKey(yaml, KEY, "bob", "f"))
                .isEqualTo("#cloud-config\nusers:\n  - default\n  - name: bob\n" + "    ssh_authorized_keys:\n    - "
                        + QUOTED + "\n    - ssh-rsa AAAA mine\n    shell: /bin/bash\npackages: [jq]\n");
    }

    @Test
    void aUserWithoutKeysGetsAList() {
        String yaml = "#cloud-config\nusers:\n- name: bob\n  shell: /bin/bash\n\n- name: eve\npackages: [jq]\n";
        assertThat(CloudInit.withKey(yaml, KEY, "bob", "f"))
                .isEqualTo("#cloud-config\nusers:\n- name: bob\n  shell: /bin/bash\n" + "  ssh_authorized_keys:\n    - "
                        + QUOTED + "\n\n- name: eve\npackages: [jq]\n");
    }

    @Test
    @DisplayName("a user the file does not define gets the key through the top-level list (the default user)")
    void otherUsersGoThroughTheTopLevelList() {
        assertThat(CloudInit.withKey(
                        "#cloud-config\nusers:\n  - default\nssh_authorized_keys: []\n", KEY, "ubuntu", "f"))
                .isEqualTo("#cloud-config\nusers:\n  - default\nssh_authorized_keys:\n  - " + QUOTED + "\n");
        assertThat(CloudInit.withKey("#cloud-config\npackages: [jq]\n", KEY, "ubuntu", "f"))
                .isEqualTo("#cloud-config\npackages: [jq]\nssh_authorized_keys:\n  - " + QUOTED + "\n");
        assertThat(CloudInit.withKey(
                        "#cloud-config\nusers:\n  - name: bobby\n    ssh_authorized_keys: []\n", KEY, "bob", "f"))
                .endsWith("    ssh_authorized_keys: []\nssh_authorized_keys:\n  - " + QUOTED + "\n");
    }

    @Test
    void refusesWhatItCannotExtend() {
        assertThatThrownBy(() ->
                        CloudInit.withKey("#cloud-config\nssh_authorized_keys: [a, b]\n", KEY, "ubuntu", "my.yaml"))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("my.yaml")
                .hasMessageContaining("block list");
        assertThatThrownBy(() -> CloudInit.withKey("packages: [jq]\n", KEY, "ubuntu", "my.yaml"))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("#cloud-config");
    }
}
