package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.settings.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Where the JVM is not on the lab's kernel, readiness is read with one {@code ip -d -o -batch -} per
 * namespace; a lab that does not become ready is removed again and the failure names the interface.
 * On a backend that touches no kernel, with the kernel's answers given by the test.
 */
@DisplayName("Readiness read with ip processes")
class ReadinessProcessPathTest {

    private static final LabSpec SEED = LabSpec.singleNamespace("netns1", "10.200.1.1", null);

    private final Settings settings = Settings.of(
            key -> Optional.ofNullable(Map.of(
                            "netnslab.watchdog", "false",
                            "netnslab.sweep", "false",
                            "netnslab.ready.timeout", "200ms")
                    .get(key)),
            Map.of());

    @Test
    @DisplayName("a ready lab costs one read per namespace, through ip, with no shell")
    void readsOncePerNamespace() {
        RecordingBackend backend = new RecordingBackend();
        try (Lab lab = Lab.start(SEED, backend, settings)) {
            assertThat(backend.commands())
                    .filteredOn(c -> "link show\naddr show\n".equals(c.stdin()))
                    .extracting(Command::argv)
                    .containsExactlyInAnyOrder(
                            java.util.List.of("ip", "-d", "-o", "-n", "host-" + lab.id(), "-batch", "-"),
                            java.util.List.of("ip", "-d", "-o", "-n", "netns1-" + lab.id(), "-batch", "-"));
        }
    }

    @Test
    @DisplayName("a lab whose interface never gets carrier fails start, names it and its state, and is removed")
    void notReadyFailsAndRollsBack() {
        RecordingBackend backend = new RecordingBackend()
                .linkState(
                        String.join(
                                "\n",
                                "2: veth1@if3: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master br0 state"
                                        + " LOWERLAYERDOWN mode DEFAULT\\    link/ether 0e:62:7b:d2:8e:9f \\    veth \\    bridge_slave"
                                        + " state disabled priority 32",
                                "3: veth2@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT"));

        assertThatThrownBy(() -> Lab.start(SEED, backend, settings))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("everything the lab created has been removed")
                .hasMessageContaining("was not ready within 200ms (netnslab.ready.timeout) after start")
                .hasMessageContaining("namespace host, veth1: it has no carrier, as a bridge port it is disabled"
                        + " (<NO-CARRIER,BROADCAST,MULTICAST,UP> operstate LOWERLAYERDOWN, bridge port disabled)")
                .hasMessageNotContaining("veth2:");
        assertThat(backend.commands()).anySatisfy(c -> assertThat(c.stdin()).contains("netns del host-"));
    }
}
