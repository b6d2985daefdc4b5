package dev.netnslab.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.LabSpec;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.topology.IpAddress;
import dev.netnslab.internal.topology.Placement;
import dev.netnslab.internal.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LoopbackTunnels: what is refused before a tunnel to this machine's loopback is built")
class LoopbackTunnelsTest {

    private final Placement placement = ApiBridge.placement(LabSpec.builder()
            .namespace("a")
            .namespace("b")
            .veth("a:eth0", "b:eth0")
            .on("vm", "b")
            .build());
    private final List<Placement.Tunnel> tunnels = List.of(new Placement.Tunnel(
            new Topology.End("a", "eth0"), 1048577, null, IpAddress.parse("a", "127.0.0.1"), 4790, 1450, 40123));

    private static Kernel kernel(String whyNoJava) {
        return new FakeKernel() {
            @Override
            public String describe() {
                return "fake kernel";
            }

            @Override
            public Optional<String> whyNoJava() {
                return Optional.ofNullable(whyNoJava);
            }
        };
    }

    @Test
    @DisplayName("kernel releases from 6.5 on have the setting; older ones do not; an unknown form is let through")
    void releases() {
        assertThat(LoopbackTunnels.atLeast65("6.1.0-18-amd64")).isFalse();
        assertThat(LoopbackTunnels.atLeast65("5.15.0")).isFalse();
        assertThat(LoopbackTunnels.atLeast65("6.5.0")).isTrue();
        assertThat(LoopbackTunnels.atLeast65("6.18.44-fc-v1272")).isTrue();
        assertThat(LoopbackTunnels.atLeast65("7.0.1")).isTrue();
        assertThat(LoopbackTunnels.atLeast65("unknown")).isTrue();
    }

    @Test
    @DisplayName("refused: a kernel this JVM cannot enter, or this machine's kernel before 6.5; else accepted")
    void refusals() {
        Map<String, Kernel> entered = Map.of("default", kernel(null), "vm", kernel("it is another kernel"));
        assertThatCode(() -> LoopbackTunnels.check(tunnels, placement, entered, "6.18.44"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> LoopbackTunnels.check(tunnels, placement, entered, "6.1.0-18-amd64"))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("a:eth0 on kernel 'default' would send to 127.0.0.1 port 40123")
                .hasMessageContaining("Linux has since 6.5, but this machine runs Linux '6.1.0-18-amd64'");
        Map<String, Kernel> notEntered = Map.of("default", kernel("the lab runs on sudo"), "vm", kernel(null));
        assertThatThrownBy(() -> LoopbackTunnels.check(tunnels, placement, notEntered, "6.18.44"))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("but the lab runs on sudo. Run the test as root on the local backend");
    }
}
