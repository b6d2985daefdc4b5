package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.BridgePort;
import dev.netnslab.ExecResult;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.junit.Netns;
import dev.netnslab.junit.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CNI reference plugins, run the way a container runtime runs them: Debian's
 * {@code containernetworking-plugins} {@code bridge} plugin with {@code host-local} IPAM and
 * {@code ipMasq}, executed inside the lab's {@code node} namespace with {@code CNI_NETNS} pointing
 * at a pod namespace of the same lab ({@link Namespace#path()}) and its JSON config on standard input.
 * The tests then check what the plugin built with the library's structured assertions.
 *
 * <p>Nothing leaves the lab: the plugin's bridge, veths and iptables rules live in the lab's
 * namespaces and go with them; host-local's reservations live in a temporary directory per test.
 * The plugin runs where the backend runs commands, so with an {@code ssh} backend on another host
 * that directory is created there, and removed only here; CI's ssh backend is this same machine.
 * The {@code internet} namespace has no route back to the pod subnet, so only masquerading on the
 * node lets a pod reach it.
 */
@Tag("kernel")
@DisplayName("CNI plugins: bridge + host-local + ipMasq, run against lab namespaces")
class CniPluginTest {

    /** The node, an internet the node reaches on the underlay, and two empty pod namespaces for the plugin to fill. */
    public static class NodeAndPods implements LabTopology {
        @Override
        public LabSpec define() {
            return LabSpec.builder()
                    .node("node", "10.0.0.10/24")
                    .node("internet", "10.0.0.100/24")
                    .namespace("pod1")
                    .namespace("pod2")
                    .build();
        }
    }

    @BeforeAll
    static void pluginsAreInstalled() {
        assertThat(Path.of(BridgePlugin.DIRECTORY, "bridge"))
                .as("the CNI reference plugins; apt-get install -y containernetworking-plugins (.ci/deps does)")
                .isExecutable();
    }

    @Test
    @NetnsLab(topology = NodeAndPods.class)
    @DisplayName(
            "ADD gives each pod an address, a default route via the bridge, and a port on cni0; pods reach each other")
    void addBuildsTheBridgeDatapath(
            @Netns("node") Namespace node,
            @Netns("pod1") Namespace pod1,
            @Netns("pod2") Namespace pod2,
            @TempDir Path ipam) {
        BridgePlugin plugin = new BridgePlugin(node, ipam, true, false);
        plugin.add("pod1", pod1);
        plugin.add("pod2", pod2);

        assertThat(pod1).hasAddress("10.244.1.2/24").link("eth0").isUp();
        assertThat(pod1).route("default").hasGateway("10.244.1.1").hasDevice("eth0");
        assertThat(node).hasAddress("10.244.1.1/24").link("cni0").isUp();
        BridgePort port = node.bridgePorts().stream()
                .filter(p -> "cni0".equals(p.bridge()))
                .findFirst()
                .orElseThrow();
        assertThat(node)
                .bridgePort(port.name())
                .hasState("forwarding")
                .isNotHairpin()
                .isLearning();

        assertThat(pod1).canPing("10.244.1.3");
        assertThat(pod2).canPing("10.244.1.2");
        assertThat(pod1).canPing("10.244.1.1");
    }

    @Test
    @NetnsLab(topology = NodeAndPods.class)
    @DisplayName("broken twin: after DEL of pod2, pod1 no longer reaches it, and pod2's port and reservation are gone")
    void delCutsThePodOff(
            @Netns("node") Namespace node,
            @Netns("pod1") Namespace pod1,
            @Netns("pod2") Namespace pod2,
            @TempDir Path ipam)
            throws Exception {
        BridgePlugin plugin = new BridgePlugin(node, ipam, true, false);
        plugin.add("pod1", pod1);
        plugin.add("pod2", pod2);
        assertThat(pod1).canPing("10.244.1.3");

        plugin.del("pod2", pod2);

        assertThat(pod1).cannotPing("10.244.1.3");
        assertThat(pod2).hasNoInterface("eth0");
        assertThat(node.bridgePorts()).hasSize(1);
        String nat = node.exec("iptables-save", "-t", "nat").stdout();
        assertThat(nat)
                .as("DEL removes pod2's masquerade rules, not pod1's")
                .doesNotContain("10.244.1.3")
                .contains("10.244.1.2");
        try (Stream<Path> files = Files.list(ipam.resolve(BridgePlugin.NETWORK))) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("10.244.1.3");
        }
    }

    @Test
    @NetnsLab(topology = NodeAndPods.class)
    @DisplayName("ipMasq: a pod reaches a network with no route back, because the node masquerades it")
    void ipMasqLetsPodsOut(
            Lab lab,
            @Netns("node") Namespace node,
            @Netns("pod1") Namespace pod1,
            @Netns("internet") Namespace internet,
            @TempDir Path ipam) {
        new BridgePlugin(node, ipam, true, false).add("pod1", pod1);

        assertThat(internet).hasNoRoute("10.244.1.0/24");
        assertThat(node.exec("iptables", "-w", "-t", "nat", "-S", "POSTROUTING").stdout())
                .contains("10.244.1.2/32");
        assertThat(lab.host().exec("iptables-save", "-t", "nat").stdout())
                .as("the plugin's rules stay in the node")
                .doesNotContain("CNI-");
        assertThat(pod1).canPing("10.0.0.100");
    }

    @Test
    @NetnsLab(topology = NodeAndPods.class)
    @DisplayName(
            "broken twin: without ipMasq the echo reaches the internet, and the failure says the reply has no way back")
    void withoutIpMasqTheReplyIsLost(@Netns("node") Namespace node, @Netns("pod1") Namespace pod1, @TempDir Path ipam) {
        new BridgePlugin(node, ipam, false, false).add("pod1", pod1);

        assertThat(pod1).cannotPing("10.0.0.100");
        assertThatThrownBy(() -> assertThat(pod1).canPing("10.0.0.100"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("pod1 -> node (via eth0) -> internet (via eth0): arrives")
                .hasMessageContaining("internet has no route to 10.244.1.2");
    }

    @Test
    @NetnsLab(topology = NodeAndPods.class)
    @DisplayName("hairpinMode in the config turns hairpin on for the pod's bridge port")
    void hairpinMode(@Netns("node") Namespace node, @Netns("pod1") Namespace pod1, @TempDir Path ipam) {
        new BridgePlugin(node, ipam, true, true).add("pod1", pod1);

        String port = node.bridgePorts().get(0).name();
        assertThat(node).bridgePort(port).hasBridge("cni0").isHairpin();
        assertThatThrownBy(() -> assertThat(node).bridgePort(port).isNotHairpin())
                .hasMessageContaining("to have hairpin off");
    }

    @Nested
    @DisplayName("CHECK")
    class Check {

        @Test
        @NetnsLab(topology = NodeAndPods.class)
        @DisplayName("passes on the datapath ADD built")
        void passesOnWhatAddBuilt(@Netns("node") Namespace node, @Netns("pod1") Namespace pod1, @TempDir Path ipam) {
            BridgePlugin plugin = new BridgePlugin(node, ipam, true, false);
            String result = plugin.add("pod1", pod1);

            assertThat(plugin.check("pod1", pod1, result)).succeeded();
        }

        @Test
        @NetnsLab(topology = NodeAndPods.class)
        @DisplayName("broken twin: fails once the pod's default route is gone, and says which route")
        void failsWhenTheRouteIsGone(@Netns("node") Namespace node, @Netns("pod1") Namespace pod1, @TempDir Path ipam) {
            BridgePlugin plugin = new BridgePlugin(node, ipam, true, false);
            String result = plugin.add("pod1", pod1);
            assertThat(pod1.exec("ip", "route", "del", "default")).succeeded();

            ExecResult check = plugin.check("pod1", pod1, result);
            assertThat(check.isSuccess()).isFalse();
            assertThat(check.stdout()).contains("not found in routing table");
            assertThat(pod1).hasNoRoute("default");
        }
    }
}
