package dev.netnslab.internal.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netnslab.ExecResult;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.backend.Backend;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.backend.Backends;
import dev.netnslab.internal.backend.ssh.SshBackendTest;
import dev.netnslab.internal.reaper.Owner;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.testing.TestSshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Multipass cannot be installed on the machines this runs on. These tests put a stand-in
 * {@code multipass} script in place that checks the argv it receives and answers in Multipass'
 * documented JSON format, handing out the address of a real sshd the test started. Everything after
 * {@code multipass launch} (key, host key, SSH, the lab, ping) runs for real.
 */
@DisplayName("The multipass backend, against a stand-in multipass and a real sshd")
class MultipassBackendTest {

    private static final String VM = "netns-lab-test";

    /** The stand-in. Its state (which VMs exist) lives in files next to the sshd's own. */
    private static final String STAND_IN = String.join(
            "\n",
            "#!/bin/sh",
            "S='@STATE@'",
            "{ for a in \"$@\"; do printf '%s\\037' \"$a\"; done; echo; } >> \"$S/calls.log\"",
            "die() { echo \"stand-in multipass: $*\" >&2; exit 64; }",
            "case \"$1\" in",
            "info)",
            "  [ $# -eq 4 ] && [ \"$3\" = --format ] && [ \"$4\" = json ] || die \"unexpected argv: $*\"",
            "  [ -f \"$S/vm-$2\" ] || { echo 'info failed: The following errors occurred:' >&2;"
                    + " echo \"instance \\\"$2\\\" does not exist\" >&2; exit 2; }",
            "  printf '{\"errors\":[],\"info\":{\"%s\":{\"cpu_count\":\"1\",\"disks\":{},\"image_release\":\"22.04 LTS\","
                    + "\"ipv4\":[\"127.0.0.1\"],\"load\":[0,0,0],\"memory\":{},\"mounts\":{},\"release\":\"Ubuntu 22.04 LTS\","
                    + "\"state\":\"%s\"}}}\\n' \"$2\" \"$(cat \"$S/vm-$2\")\" ;;",
            "launch)",
            "  [ $# -eq 10 ] && [ \"$3\" = --name ] && [ \"$5\" = --cloud-init ] && [ \"$7\" = --memory ]"
                    + " && [ \"$9\" = --disk ] && [ -n \"$2\" ] && [ -n \"$8\" ] && [ -n \"${10}\" ] || die \"unexpected argv: $*\"",
            "  case \"$2$8${10}\" in -*) die \"unexpected argv: $*\" ;; esac",
            "  [ ! -f \"$S/vm-$4\" ] || die \"instance $4 already exists\"",
            "  [ \"$(head -n 1 \"$6\")\" = '#cloud-config' ] || die 'user-data is not #cloud-config'",
            "  cp \"$6\" \"$S/user-data-$4.yaml\"",
            // What cloud-init would do: authorize the keys listed for the default user.
            "  sed -n 's/^ *- \"\\(ssh-[^\"]*\\)\"$/\\1/p' \"$6\" >> \"$S/authorized_keys\"",
            "  echo Running > \"$S/vm-$4\" ;;",
            "start) [ -f \"$S/vm-$2\" ] || die \"no instance $2\"; echo Running > \"$S/vm-$2\" ;;",
            "exec)",
            "  [ -f \"$S/vm-$2\" ] && [ \"$3\" = -- ] || die \"unexpected argv: $*\"",
            "  shift 3",
            "  if [ $# -eq 2 ] && [ \"$1\" = cat ] && [ \"$2\" = /etc/ssh/ssh_host_ed25519_key.pub ]; then cat \"$S/host_ed25519.pub\"",
            "  elif [ $# -eq 7 ] && [ \"$1\" = sudo ] && [ \"$2\" = sh ] && [ \"$3\" = -c ] && [ \"$5\" = sh ]; then"
                    + " printf '%s\\n' \"$7\" >> \"$S/authorized_keys\"",
            "  else die \"unexpected exec: $*\"; fi ;;",
            "delete) [ $# -eq 3 ] && [ \"$2\" = --purge ] && [ -f \"$S/vm-$3\" ] || die \"unexpected argv: $*\"; rm \"$S/vm-$3\" ;;",
            "*) die \"unexpected argv: $*\" ;;",
            "esac",
            "");

    @TempDir
    Path home;

    private TestSshd sshd;
    private Path multipass;

    @BeforeEach
    void startServer() throws IOException {
        assumeTrue(TestSshd.available(), "/usr/sbin/sshd is not installed (apt-get install -y openssh-server)");
        sshd = TestSshd.start();
        multipass = home.resolve("bin/multipass");
        Files.createDirectories(multipass.getParent());
        Files.writeString(multipass, STAND_IN.replace("@STATE@", sshd.dir().toString()));
        Files.setPosixFilePermissions(multipass, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void stopServer() {
        if (sshd != null) {
            sshd.close();
        }
    }

    private Settings settings(Map<String, String> extra) {
        Map<String, String> keys = new HashMap<>(Map.of(
                Setting.BACKEND.key(),
                "multipass",
                Setting.MULTIPASS_EXECUTABLE.key(),
                multipass.toString(),
                Setting.MULTIPASS_NAME.key(),
                VM,
                Setting.MULTIPASS_USER.key(),
                "root",
                Setting.MULTIPASS_SSH_PORT.key(),
                Integer.toString(sshd.port()),
                Setting.HOME.key(),
                home.resolve("netnslab").toString()));
        keys.putAll(extra);
        return Settings.from(key -> Optional.ofNullable(keys.get(key)));
    }

    private List<List<String>> calls() throws IOException {
        Path log = sshd.dir().resolve("calls.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream()
                .map(line -> Arrays.asList(line.split("\037")))
                .collect(Collectors.toList());
    }

    private String libraryKey() throws IOException {
        return Files.readString(home.resolve("netnslab/id_ed25519.pub")).strip();
    }

    @Tag("kernel")
    @Test
    @DisplayName("an absent VM is launched from cloud-init.yaml with the library's key, then used over SSH")
    void launchesAnAbsentVm() throws IOException {
        try (Backend backend = Backends.select(settings(Map.of(Setting.VM_KEEP.key(), "false")))) {
            assertThat(backend.name()).isEqualTo("multipass");
            assertThat(dev.netnslab.internal.exec.Kernel.of(backend).describe())
                    .isEqualTo("ssh root@127.0.0.1:" + sshd.port());
            assertThat(VmRecord.parse(Files.readString(home.resolve("netnslab/multipass-" + VM + ".owner")))
                            .owner())
                    .as("launched to be deleted: this JVM is recorded as its owner")
                    .isEqualTo(Owner.current());
            try (Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend)) {
                ExecResult ping = SshBackendTest.ping(lab.host(), "10.200.1.1");
                assertThat(ping.isSuccess()).as(ping.describe()).isTrue();
                lab.namespace("netns1").exec("ip", "link", "set", "veth2", "down");
                assertThat(SshBackendTest.ping(lab.host(), "10.200.1.1").isSuccess())
                        .isFalse();
            }
        }
        Path userData = home.resolve("netnslab/cloud-init-" + VM + ".yaml");
        assertThat(calls())
                .containsExactly(
                        List.of("info", VM, "--format", "json"),
                        List.of(
                                "launch",
                                "22.04",
                                "--name",
                                VM,
                                "--cloud-init",
                                userData.toString(),
                                "--memory",
                                "1G",
                                "--disk",
                                "5G"),
                        List.of("info", VM, "--format", "json"),
                        List.of("exec", VM, "--", "cat", "/etc/ssh/ssh_host_ed25519_key.pub"),
                        List.of("delete", "--purge", VM));
        assertThat(Files.readString(sshd.dir().resolve("user-data-" + VM + ".yaml")))
                .startsWith("#cloud-config")
                .contains("iputils-ping")
                .contains("- \"" + libraryKey() + "\"");
        assertThat(Files.getPosixFilePermissions(home.resolve("netnslab/id_ed25519")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(home.resolve("netnslab")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.readString(home.resolve("netnslab/known_hosts")))
                .isEqualTo("[127.0.0.1]:" + sshd.port() + " " + sshd.hostKey());
    }

    @Tag("kernel")
    @Test
    @DisplayName("an existing VM is reused, gets the key through multipass exec, and is kept")
    void reusesAnExistingVm() throws IOException {
        Files.writeString(sshd.dir().resolve("vm-" + VM), "Running\n");
        try (Backend backend = Backends.select(settings(Map.of(Setting.VM_KEEP.key(), "false")))) {
            ExecResult echo = dev.netnslab.internal.exec.Kernel.of(backend)
                    .run(dev.netnslab.internal.exec.Command.of(
                            java.time.Duration.ofSeconds(5), List.of("echo", "in the VM")));
            assertThat(echo.stdout()).isEqualTo("in the VM\n");
        }
        List<List<String>> calls = calls();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)).containsExactly("info", VM, "--format", "json");
        assertThat(calls.get(1))
                .containsExactly(
                        "exec", VM, "--", "sudo", "sh", "-c", MultipassBackend.AUTHORIZE, "sh", "root", libraryKey());
        assertThat(calls.get(2)).containsExactly("exec", VM, "--", "cat", "/etc/ssh/ssh_host_ed25519_key.pub");
        assertThat(sshd.dir().resolve("vm-" + VM))
                .as("a VM the backend did not launch is never deleted")
                .exists();
    }

    /** The owner file of a run that died (pid 1 never has this start time), as this version writes it and as older ones did. */
    static List<Named<String>> deadOwnerFiles() {
        String boot = Owner.thisBoot();
        return List.of(
                Named.of(
                        "a record",
                        new VmRecord(
                                        VM,
                                        "multipass",
                                        new Owner(1, 999999999, boot),
                                        java.time.Instant.now(),
                                        Optional.empty())
                                .render()),
                Named.of("the one line of older versions", "1 999999999 " + boot + "\n"));
    }

    @Tag("kernel")
    @ParameterizedTest(name = "owner file: {0}")
    @MethodSource("deadOwnerFiles")
    @DisplayName("a VM left by a run that died before deleting it is adopted and deleted with keep=false")
    void adoptsAnOrphan(String ownerFile) throws IOException {
        Files.writeString(sshd.dir().resolve("vm-" + VM), "Running\n");
        Files.createDirectories(home.resolve("netnslab"));
        Files.writeString(home.resolve("netnslab/multipass-" + VM + ".owner"), ownerFile);
        try (Backend backend = Backends.select(settings(Map.of(Setting.VM_KEEP.key(), "false")))) {
            assertThat(backend.name()).isEqualTo("multipass");
        }
        assertThat(calls()).extracting(call -> call.get(0)).containsExactly("info", "exec", "exec", "delete");
        assertThat(sshd.dir().resolve("vm-" + VM)).doesNotExist();
        assertThat(home.resolve("netnslab/multipass-" + VM + ".owner")).doesNotExist();
    }

    @Tag("kernel")
    @Test
    @DisplayName("a VM whose launching run still lives is not adopted")
    void leavesALiveOwnersVm() throws IOException {
        Files.writeString(sshd.dir().resolve("vm-" + VM), "Running\n");
        Files.createDirectories(home.resolve("netnslab"));
        Files.writeString(
                home.resolve("netnslab/multipass-" + VM + ".owner"),
                new VmRecord(VM, "multipass", Owner.current(), java.time.Instant.now(), Optional.empty()).render());
        try (Backend backend = Backends.select(settings(Map.of(Setting.VM_KEEP.key(), "false")))) {
            assertThat(backend.name()).isEqualTo("multipass");
        }
        assertThat(calls()).extracting(call -> call.get(0)).doesNotContain("delete");
        assertThat(sshd.dir().resolve("vm-" + VM)).exists();
    }

    @Tag("kernel")
    @Test
    @DisplayName("a stopped VM is started")
    void startsAStoppedVm() throws IOException {
        Files.writeString(sshd.dir().resolve("vm-" + VM), "Stopped\n");
        try (Backend backend = Backends.select(settings(Map.of()))) {
            assertThat(backend.name()).isEqualTo("multipass");
        }
        assertThat(calls()).extracting(call -> call.get(0)).containsExactly("info", "start", "info", "exec", "exec");
    }

    @Tag("kernel")
    @Test
    @DisplayName("a launched VM is kept by default")
    void keepsTheVmByDefault() throws IOException {
        try (Backend backend = Backends.select(settings(Map.of()))) {
            assertThat(backend.name()).isEqualTo("multipass");
        }
        assertThat(calls()).extracting(call -> call.get(0)).doesNotContain("delete");
        assertThat(sshd.dir().resolve("vm-" + VM)).exists();
    }

    @Test
    @DisplayName("without multipass the failure says what to install or set")
    void missingMultipass() {
        assertThatThrownBy(() ->
                        Backends.select(settings(Map.of(Setting.MULTIPASS_EXECUTABLE.key(), "/nonexistent/multipass"))))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("/nonexistent/multipass")
                .hasMessageContaining(Setting.MULTIPASS_EXECUTABLE.key());
    }

    @Tag("kernel")
    @Test
    @DisplayName("a failed launch quotes multipass")
    void failedLaunch() {
        assertThatThrownBy(() -> Backends.select(settings(
                        Map.of(Setting.MULTIPASS_IMAGE.key(), "--bogus", Setting.MULTIPASS_MEMORY.key(), "--x"))))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("multipass launch")
                .hasMessageContaining("stand-in multipass: unexpected argv");
    }
}
