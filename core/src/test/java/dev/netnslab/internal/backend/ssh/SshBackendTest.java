package dev.netnslab.internal.backend.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netnslab.ExecResult;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.backend.Backend;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.backend.HostKeyException;
import dev.netnslab.internal.backend.Backends;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.testing.Kernel;
import dev.netnslab.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@Tag("kernel")
@DisplayName("The ssh backend, against a real sshd on loopback")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class SshBackendTest {

    private TestSshd sshd;
    private Backend backend;
    /** Labs this class built; other suites may build labs on the same machine at the same time. */
    private final List<String> labIds = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    void connect() {
        assumeTrue(TestSshd.available(), "/usr/sbin/sshd is not installed (apt-get install -y openssh-server)");
        sshd = TestSshd.start();
        backend = Backends.select(settings(Map.of(Setting.BACKEND.key(), "ssh")));
    }

    @AfterAll
    void disconnect() {
        if (backend != null) {
            backend.close();
        }
        if (sshd != null) {
            sshd.close();
            assertThat(labIds).isNotEmpty();
            assertThat(Kernel.namespaces())
                    .as("ip netns list after the tests holds none of this class' namespaces")
                    .noneMatch(name -> labIds.stream().anyMatch(id -> name.endsWith("-" + id)));
        }
    }

    /** The documented keys, pointing at the test's sshd; {@code extra} adds or overrides. */
    private Settings settings(Map<String, String> extra) {
        Map<String, String> keys = new HashMap<>(Map.of(
                Setting.SSH_HOST.key(), "127.0.0.1",
                Setting.SSH_PORT.key(), Integer.toString(sshd.port()),
                Setting.SSH_USER.key(), "root",
                Setting.SSH_IDENTITY.key(), sshd.identity().toString(),
                Setting.SSH_KNOWN_HOSTS.key(), sshd.knownHosts().toString()));
        keys.putAll(extra);
        return Settings.from(key -> Optional.ofNullable(keys.get(key)));
    }

    /**
     * Pings up to three times, as canPing retries: a busy machine may lose the first ping to a
     * link that came up a moment ago. A broken link fails all three.
     */
    public static ExecResult ping(Namespace from, String address) {
        ExecResult result = null;
        for (int i = 0; i < 3; i++) {
            result = from.exec("ping", "-c", "1", "-W", "1", address);
            if (result.isSuccess()) {
                break;
            }
        }
        return result;
    }

    private Lab track(Lab lab) {
        labIds.add(lab.id());
        return lab;
    }

    @Nested
    @DisplayName("the single-namespace lab over SSH")
    class SingleNamespaceLab {

        @Test
        void hostAndNamespaceReachEachOther() {
            try (Lab lab = track(Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend))) {
                Namespace ns = lab.namespace("netns1");
                ExecResult there = ping(lab.host(), "10.200.1.1");
                assertThat(there.isSuccess()).as(there.describe()).isTrue();
                ExecResult back = ping(ns, lab.host().address());
                assertThat(back.isSuccess()).as(back.describe()).isTrue();
                assertThat(ns.exec("ip", "route").stdout()).contains("default");
                assertThat(ns.interfaces()).extracting(i -> i.name()).contains("veth2", "lo");
            }
        }

        @Test
        void aBrokenLinkStopsThePing() {
            try (Lab lab = track(Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend))) {
                Namespace ns = lab.namespace("netns1");
                assertThat(ns.exec("ip", "link", "set", "veth2", "down").isSuccess())
                        .isTrue();
                assertThat(ping(lab.host(), "10.200.1.1").isSuccess()).isFalse();
                assertThat(ping(ns, lab.host().address()).isSuccess()).isFalse();
            }
        }

        @Test
        @DisplayName(
                "a capture comes home: after close its path is a pcap on this machine with the lab's packets, copied over SFTP")
        void captureComesHome() throws Exception {
            java.nio.file.Path local;
            String remote;
            try (Lab lab = track(Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend))) {
                Namespace ns = lab.namespace("netns1");
                dev.netnslab.Capture capture = ns.capture("veth2");
                local = capture.path();
                remote = "/tmp/netnslab-captures/" + local.getFileName();
                assertThat(lab.host().exec("test", "-s", remote).isSuccess())
                        .as("tcpdump writes %s on the host", remote)
                        .isTrue();
                assertThat(ping(lab.host(), "10.200.1.1").isSuccess()).isTrue();
                capture.close();
                assertThat(local).isRegularFile();
                byte[] pcap = java.nio.file.Files.readAllBytes(local);
                assertThat(dev.netnslab.internal.engine.PcapFile.countPackets(pcap))
                        .isGreaterThanOrEqualTo(2);
                assertThat(capture.packetCount()).isGreaterThanOrEqualTo(2);
                assertThat(lab.host().exec("test", "-e", remote).isSuccess())
                        .as("the host's copy %s is removed once fetched", remote)
                        .isFalse();
            }
        }

        @Test
        @DisplayName("a capture left running is copied here when the lab closes")
        void captureComesHomeWhenTheLabCloses() {
            dev.netnslab.Capture capture;
            try (Lab lab = track(Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend))) {
                capture = lab.namespace("netns1").capture("veth2");
                assertThat(ping(lab.host(), "10.200.1.1").isSuccess()).isTrue();
            }
            assertThat(capture.path()).isRegularFile();
            assertThat(capture.packetCount()).isGreaterThanOrEqualTo(2);
        }

        @Test
        @DisplayName("twin: a capture on an interface the namespace lacks fails and leaves no copy")
        void captureOnAMissingInterfaceFails() {
            try (Lab lab = track(Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend))) {
                assertThatThrownBy(() -> lab.namespace("netns1").capture("nosuch0"))
                        .hasMessageContaining("nosuch0")
                        .hasMessageContaining("veth2");
            }
        }

        @Test
        void backgroundProcessesStopWithTheLab() {
            Lab lab = track(Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend));
            var server = lab.namespace("netns1").spawn("sleep", "120");
            assertThat(server.isAlive()).isTrue();
            lab.close();
            assertThat(server.isAlive()).isFalse();
        }
    }

    @Test
    @DisplayName("Lab.start(spec) on the ssh backend closes the connection it opened when the lab closes")
    void aLabWithItsOwnBackendClosesIt() throws Exception {
        Map<String, String> keys = Map.of(
                Setting.BACKEND.key(),
                "ssh",
                Setting.SSH_HOST.key(),
                "127.0.0.1",
                Setting.SSH_PORT.key(),
                Integer.toString(sshd.port()),
                Setting.SSH_USER.key(),
                "root",
                Setting.SSH_IDENTITY.key(),
                sshd.identity().toString(),
                Setting.SSH_KNOWN_HOSTS.key(),
                sshd.knownHosts().toString());
        keys.forEach(System::setProperty);
        try {
            long before = sshd.connections();
            Lab lab = track(Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null)));
            try {
                assertThat(sshd.connections()).isEqualTo(before + 1);
                assertThat(lab.namespace("netns1").exec("ip", "route").stdout()).contains("default");
            } finally {
                lab.close();
            }
            // The server's child for the connection exits a moment after the client disconnects.
            await("the server to end the lab's connection")
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(sshd.connections()).isEqualTo(before));
        } finally {
            keys.keySet().forEach(System::clearProperty);
        }
    }

    @Nested
    @DisplayName("selection")
    class Selection {

        @Test
        void theBackendSaysWhereItRuns() {
            assertThat(backend.name()).isEqualTo("ssh");
            assertThat(dev.netnslab.internal.exec.Kernel.of(backend).describe())
                    .isEqualTo("ssh root@127.0.0.1:" + sshd.port());
        }

        @Test
        void autoFallsBackToSshWhenTheLocalKernelDoesNotFit() {
            try (Backend chosen = Backends.auto(
                    settings(Map.of()),
                    () -> {
                        throw new BackendUnavailableException("no root here");
                    },
                    () -> {
                        throw new BackendUnavailableException("no user namespaces here");
                    })) {
                assertThat(chosen.name()).isEqualTo("ssh");
                assertThat(dev.netnslab.internal.exec.Kernel.of(chosen)
                                .run(dev.netnslab.internal.exec.Command.of(
                                        java.time.Duration.ofSeconds(5), List.of("echo", "hi")))
                                .stdout())
                        .isEqualTo("hi\n");
            }
        }

        @Test
        void autoNamesEverythingItTriedWhenNothingFits() {
            Settings nothing = settings(
                    Map.of(Setting.SSH_PORT.key(), "1", Setting.MULTIPASS_EXECUTABLE.key(), "/nonexistent/multipass"));
            assertThatThrownBy(() -> Backends.auto(
                            nothing,
                            () -> {
                                throw new BackendUnavailableException("no root here");
                            },
                            () -> {
                                throw new BackendUnavailableException("no user namespaces here");
                            }))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("tried, in order")
                    .hasMessageContaining("local: no root here")
                    .hasMessageContaining("ssh: Could not connect to ssh root@127.0.0.1:1")
                    .hasMessageContaining("rootless: no user namespaces here")
                    .hasMessageContaining("multipass: '/nonexistent/multipass' is not on the PATH");
        }

        @Test
        void autoNeverPassesOverAWrongHostKey() throws Exception {
            Path empty = Files.writeString(sshd.dir().resolve("none_known"), "");
            assertThatThrownBy(() -> Backends.auto(
                            settings(Map.of(Setting.SSH_KNOWN_HOSTS.key(), empty.toString())),
                            () -> {
                                throw new BackendUnavailableException("no root here");
                            },
                            () -> {
                                throw new BackendUnavailableException("no user namespaces here");
                            }))
                    .isInstanceOf(HostKeyException.class)
                    .hasMessageContaining("host key");
        }

        @Test
        void sshWithoutAHostSaysWhichKeyIsMissing() {
            assertThatThrownBy(() -> SshBackend.connect(Settings.from(key -> Optional.empty())))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("netnslab.ssh.host")
                    .hasMessageContaining("NETNSLAB_SSH_HOST");
        }

        @Test
        void qemuWithoutAnImageSaysWhichKeyIsMissingAndHowToBuildOne() {
            assertThatThrownBy(() -> Backends.select(settings(Map.of(Setting.BACKEND.key(), "qemu"))))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("netnslab.qemu.image")
                    .hasMessageContaining("scripts/build-vm-image.sh");
        }

        @Test
        void anUnknownKindListsTheKnownOnes() {
            assertThatThrownBy(() -> Backends.select(settings(Map.of(Setting.BACKEND.key(), "docker"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(
                            "netnslab.backend must be one of auto, local, rootless, ssh, multipass, qemu but was 'docker' (from configuration parameter netnslab.backend)");
        }
    }
}
