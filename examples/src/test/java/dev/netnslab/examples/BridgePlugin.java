package dev.netnslab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.ExecResult;
import dev.netnslab.ExecSpec;
import dev.netnslab.Namespace;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the CNI reference {@code bridge} plugin the way a container runtime does: inside the node's
 * namespace, with the CNI variables in the environment and the network config on standard input.
 * Each pod gets {@code eth0}, an address from {@code host-local} in 10.244.1.0/24 (kept in
 * {@code dataDir}), and a default route via the bridge {@code cni0}.
 */
final class BridgePlugin {

    /** Where Debian's {@code containernetworking-plugins} puts the plugins. */
    static final String DIRECTORY = "/usr/lib/cni";

    static final String NETWORK = "labnet";
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private final Namespace node;
    private final String config;

    BridgePlugin(Namespace node, Path dataDir, boolean ipMasq, boolean hairpin) {
        this.node = node;
        this.config = "{\"cniVersion\":\"0.4.0\",\"name\":\"" + NETWORK + "\",\"type\":\"bridge\",\"bridge\":\"cni0\","
                + "\"isGateway\":true,\"ipMasq\":" + ipMasq + ",\"hairpinMode\":" + hairpin + ","
                + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.244.1.0/24\",\"dataDir\":\""
                + dataDir.toAbsolutePath() + "\","
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}";
    }

    /** ADD: builds the pod's datapath and returns the plugin's result (JSON); fails the test if the plugin fails. */
    String add(String containerId, Namespace pod) {
        ExecResult result = run("ADD", containerId, pod, config);
        assertThat(result.isSuccess())
                .as("bridge plugin ADD for %s:\n%s", pod.name(), result.describe())
                .isTrue();
        return result.stdout();
    }

    /** CHECK against the result of ADD; the outcome is returned, not asserted. */
    ExecResult check(String containerId, Namespace pod, String addResult) {
        String withPrevious = config.substring(0, config.length() - 1) + ",\"prevResult\":" + addResult.strip() + "}";
        return run("CHECK", containerId, pod, withPrevious);
    }

    /** DEL: removes the pod's veth, its masquerade rules and its address reservation. */
    void del(String containerId, Namespace pod) {
        ExecResult result = run("DEL", containerId, pod, config);
        assertThat(result.isSuccess())
                .as("bridge plugin DEL for %s:\n%s", pod.name(), result.describe())
                .isTrue();
    }

    private ExecResult run(String command, String containerId, Namespace pod, String stdin) {
        return node.exec(ExecSpec.of(DIRECTORY + "/bridge")
                .withEnv("CNI_COMMAND", command)
                .withEnv("CNI_CONTAINERID", containerId)
                .withEnv("CNI_NETNS", pod.path())
                .withEnv("CNI_IFNAME", "eth0")
                .withEnv("CNI_PATH", DIRECTORY)
                .withStdin(stdin)
                .withWorkingDirectory("/")
                .withTimeout(LIMIT));
    }
}
