package dev.netnslab.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.LabSpec;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.iproute.BuildPlan;
import dev.netnslab.internal.iproute.NamespaceSettings;
import dev.netnslab.internal.iproute.NamespaceStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Placing namespaces on kernels, and each kernel's part of a lab")
class PlacementTest {

    private static LabSpec.Builder routerAndHosts() {
        return LabSpec.builder()
                .namespace("r")
                .namespace("h1")
                .namespace("h2")
                .veth("r:eth1", "h1:eth0")
                .veth("r:eth2", "h2:eth0")
                .address("r", "eth1", "10.1.1.1/24")
                .address("r", "eth2", "10.1.2.1/24")
                .address("h1", "eth0", "10.1.1.2/24")
                .address("h2", "eth0", "10.1.2.2/24")
                .route("h1", "default", "10.1.1.1")
                .route("h2", "default", "10.1.2.1")
                .mtu("h2", "eth0", 1400);
    }

    @Nested
    @DisplayName("validation, at build()")
    class Validation {

        @Test
        @DisplayName("a namespace placed on two kernels is refused, naming both")
        void twoKernels() {
            InvalidLabSpecException e = catchThrowableOfType(
                    InvalidLabSpecException.class,
                    () -> routerAndHosts().on("k1", "h1").on("k2", "h1").build());
            assertThat(e)
                    .hasMessage("namespace placed on kernel k2 'h1' is invalid: namespace 'h1' is placed on kernel"
                            + " 'k1' already; a namespace runs on one kernel: remove it from one of the on(...) calls");
        }

        @Test
        @DisplayName("an unknown namespace, host, a bad kernel name and an empty call are all reported together")
        void everyProblemAtOnce() {
            InvalidLabSpecException e = catchThrowableOfType(
                    InvalidLabSpecException.class,
                    () -> routerAndHosts()
                            .on("k1", "h9")
                            .on("k1", "host")
                            .on("bad name", "h1")
                            .on("k2")
                            .build());
            assertThat(e.problems()).hasSize(4);
            assertThat(e.problems().get(0))
                    .hasMessageContaining("'h9' is invalid: the spec has no such namespace; it has [r, h1, h2]");
            assertThat(e.problems().get(1)).hasMessageContaining("always runs on the default kernel");
            assertThat(e.problems().get(2)).hasMessageContaining("a kernel name is 1-32 characters");
            assertThat(e.problems().get(3)).hasMessageContaining("name at least one namespace");
        }

        @Test
        @DisplayName("placing a namespace twice on the same kernel is fine")
        void sameKernelTwice() {
            LabSpec spec = routerAndHosts().on("k1", "h1").on("k1", "h1", "h2").build();
            assertThat(spec.kernelOf("h1")).isEqualTo("k1");
            assertThat(spec.kernelOf("r")).isEqualTo("default");
            assertThat(spec.kernels()).containsExactly("default", "k1");
        }

        @Test
        @DisplayName("a macvlan whose parent would sit on another kernel is refused")
        void stackedAcrossKernels() {
            InvalidLabSpecException e = catchThrowableOfType(
                    InvalidLabSpecException.class,
                    () -> LabSpec.builder()
                            .namespace("node")
                            .namespace("pod")
                            .veth("host:v1", "node:eth0")
                            .macvlan("pod:eth0", "node:eth0", "bridge")
                            .on("k1", "pod")
                            .build());
            assertThat(e).hasMessageContaining("a macvlan device lives on its parent's kernel");
        }
    }

    @Nested
    @DisplayName("each kernel's part")
    class Parts {

        private final LabSpec spec = routerAndHosts().on("k1", "h1", "h2").build();
        private final Topology topology = ApiBridge.topology(spec);
        private final Placement placement = ApiBridge.placement(spec);
        private final IpAddress here = IpAddress.parse("a", "10.231.0.1");
        private final IpAddress there = IpAddress.parse("a", "10.231.0.2");

        private List<Placement.Tunnel> tunnels() {
            return List.of(
                    new Placement.Tunnel(new Topology.End("r", "eth1"), 1048577, here, there, 4790, 1450),
                    new Placement.Tunnel(new Topology.End("h1", "eth0"), 1048577, there, here, 4790, 1450),
                    new Placement.Tunnel(new Topology.End("r", "eth2"), 1048578, here, there, 4790, 1450),
                    new Placement.Tunnel(new Topology.End("h2", "eth0"), 1048578, there, here, 4790, 1450));
        }

        @Test
        @DisplayName("both veths cross kernels")
        void crossLinks() {
            assertThat(placement.crossLinks(topology)).hasSize(2);
            assertThat(placement.isSingleKernel()).isFalse();
        }

        @Test
        @DisplayName("the default part holds host and r, with a tunnel in place of each veth")
        void defaultPart() {
            Topology part = placement.part(topology, "default", tunnels());
            assertThat(part.allNamespaces()).containsExactly("host", "r");
            assertThat(part.veths()).isEmpty();
            assertThat(part.interfacesOf("r")).containsExactly("eth1", "eth2");
            assertThat(part.addresses())
                    .extracting(Topology.AddressSpec::namespace)
                    .containsOnly("r");
            assertThat(part.links())
                    .containsExactly(
                            Topology.LinkSettings.none("r", "eth1").withMtu(1450),
                            Topology.LinkSettings.none("r", "eth2").withMtu(1450));
        }

        @Test
        @DisplayName("a lower MTU of the spec's stays; the routes go with their namespaces")
        void otherPart() {
            Topology part = placement.part(topology, "k1", tunnels());
            assertThat(part.namespaces()).containsExactly("h1", "h2");
            assertThat(part.routes()).extracting(Topology.RouteSpec::namespace).containsExactly("h1", "h2");
            assertThat(part.links()).extracting(Topology.LinkSettings::mtu).containsExactlyInAnyOrder(1400, 1450);
        }

        @Test
        @DisplayName("the tunnel ends are made in the root namespace, straight into their lab namespace")
        void rendering() {
            BuildPlan plan = BuildPlan.render(placement.part(topology, "k1", tunnels()), name -> name + "-nltest00");
            assertThat(plan.rootBatch())
                    .containsExactly(
                            "netns add host-nltest00",
                            "netns add h1-nltest00",
                            "netns add h2-nltest00",
                            "link add name eth0 netns h1-nltest00 mtu 1450 type vxlan id 1048577 dstport 4790 remote 10.231.0.1"
                                    + " local 10.231.0.2",
                            "link add name eth0 netns h2-nltest00 mtu 1400 type vxlan id 1048578 dstport 4790 remote 10.231.0.1"
                                    + " local 10.231.0.2");
            assertThat(plan.namespaceBatches().get("h2-nltest00"))
                    .contains("link set dev eth0 mtu 1400", "link set dev eth0 up")
                    .noneMatch(line -> line.contains("vxlan"));
        }

        @Test
        @DisplayName(
                "an end that sends to another port than it listens on gets an FDB entry with that port, no learning")
        void forwardedPort() {
            IpAddress loopback = IpAddress.parse("a", "127.0.0.1");
            List<Placement.Tunnel> tunnels = List.of(
                    new Placement.Tunnel(new Topology.End("h1", "eth0"), 1048577, null, loopback, 4790, 1450, 40123),
                    new Placement.Tunnel(new Topology.End("h2", "eth0"), 1048578, null, loopback, 4790, 1450, 40123));
            assertThat(tunnels.get(0).sendsToLoopback()).isTrue();
            assertThat(tunnels().get(0).sendsToLoopback()).isFalse();
            Topology part = placement.part(topology, "k1", tunnels);
            BuildPlan plan = BuildPlan.render(part, name -> name + "-nltest00");
            assertThat(plan.rootBatch())
                    .contains("link add name eth0 netns h1-nltest00 mtu 1450 type vxlan id 1048577 dstport 4790"
                            + " nolearning");
            assertThat(NamespaceSettings.render(
                            part, Map.of("h1", "h1-nltest00", "h2", "h2-nltest00", "host", "host-nltest00")))
                    .filteredOn(step -> step.namespace().equals("h1"))
                    .extracting(NamespaceStep::stdin)
                    .anySatisfy(stdin -> assertThat(stdin)
                            .contains("fdb append 00:00:00:00:00:00 dev eth0 dst 127.0.0.1 port 40123 self permanent"));
        }
    }
}
