package dev.netnslab.internal.iproute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.BridgeOptions;
import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.LabSpec;
import dev.netnslab.internal.engine.ApiBridge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rendering the builder methods topology files need: sysctls before links, bridge options, refusing routes")
class FileBuilderMethodsRenderingTest {

    private static BuildPlan render(LabSpec spec) {
        return BuildPlan.render(ApiBridge.topology(spec), name -> name + "-nlt");
    }

    @Test
    @DisplayName("sysctls before links are early steps, the others stay after the batches")
    void sysctlsBeforeLinks() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("a")
                .sysctlBeforeLinks("a", "net.ipv6.conf.all.disable_ipv6", "1")
                .sysctl("a", "net.ipv4.ip_forward", "1")
                .build());
        assertThat(plan.earlySteps())
                .singleElement()
                .satisfies(step -> assertThat(step.argv())
                        .containsExactly("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"));
        assertThat(plan.steps())
                .extracting(NamespaceStep::argv)
                .containsExactly(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        assertThat(render(LabSpec.builder().namespace("a").build()).earlySteps())
                .isEmpty();
    }

    @Test
    @DisplayName("a later call for the same key wins, whichever of the two it is")
    void laterCallWins() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("a")
                .sysctlBeforeLinks("a", "net.ipv4.ip_forward", "1")
                .sysctl("a", "net.ipv4.ip_forward", "0")
                .build());
        assertThat(plan.earlySteps()).isEmpty();
        assertThat(plan.steps().get(0).argv()).containsExactly("sysctl", "-q", "-w", "net.ipv4.ip_forward=0");
    }

    @Test
    @DisplayName("bridge options and port flags are ip link keywords")
    void bridgeOptions() {
        BuildPlan plan = render(LabSpec.builder()
                .bridge("host", "hub0", BridgeOptions.ageingTime(Duration.ZERO).withGroupForwardMask(0xfff8))
                .bridge("host", "br1", BridgeOptions.ageingTime(Duration.ofSeconds(600)))
                .namespace("a")
                .port("a:eth0", "host:hub0", "p-a")
                .learning("host", "p-a", false)
                .flood("host", "p-a", true)
                .build());
        assertThat(plan.namespaceBatches().get("host-nlt"))
                .contains(
                        "link add name hub0 type bridge ageing_time 0 group_fwd_mask 65528",
                        "link add name br1 type bridge ageing_time 60000",
                        "link set dev p-a type bridge_slave learning off flood on");
    }

    @Test
    @DisplayName("unreachable and prohibit routes are route types, like blackhole")
    void refusingRoutes() {
        BuildPlan plan = render(LabSpec.builder()
                .namespace("a")
                .unreachable("a", "10.8.0.0/16")
                .prohibit("a", "fd00:9::/64")
                .blackhole("a", "10.7.0.0/16")
                .build());
        assertThat(plan.namespaceBatches().get("a-nlt"))
                .contains(
                        "route add unreachable 10.8.0.0/16",
                        "route add prohibit fd00:9::/64",
                        "route add blackhole 10.7.0.0/16");
    }

    @Test
    @DisplayName("port flags off a bridge port, a negative ageing time and a bad mask are refused")
    void refused() {
        assertThatThrownBy(() -> LabSpec.builder()
                        .namespace("a")
                        .veth("a:eth0", "host:v0")
                        .learning("host", "v0", false)
                        .build())
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining(
                        "'learning' is invalid: hairpin, isolated, learning and flood are flags of a bridge port");
        assertThatThrownBy(() -> LabSpec.builder()
                        .bridge("host", "b", BridgeOptions.ageingTime(Duration.ofSeconds(-1)))
                        .bridge("host", "c", BridgeOptions.groupForwardMask(0x10000))
                        .build())
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining("bridge host:b ageing time 'PT-1S' is invalid")
                .hasMessageContaining("bridge host:c group forward mask '65536' is invalid");
        assertThatThrownBy(() -> LabSpec.builder()
                        .namespace("a")
                        .unreachable("a", "10.8.0.0/16", dev.netnslab.RouteOptions.scope("link"))
                        .build())
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining("an unreachable route drops what matches it");
    }
}
