package dev.netnslab.internal.iproute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.AddressOptions;
import dev.netnslab.LabSpec;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Readiness: which interfaces must carry packets, read from ip's output")
class ReadinessTest {

    /** As {@code ip -d -o link show} then {@code ip -o addr show} print a bridge port that forwards, and its bridge. */
    private static final String READY = String.join(
            "\n",
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0",
            "4: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether aa:af:cd:ee:87:c0 brd ff:ff:ff:ff:ff:ff promiscuity 0 \\    bridge forward_delay 1500 hello_time 200 stp_state 0",
            "3: veth-srv@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000\\    link/ether 0e:62:7b:d2:8e:9f brd ff:ff:ff:ff:ff:ff link-netns srv-nl1 promiscuity 1 \\    veth \\    bridge_slave state forwarding priority 32 cost 2 hairpin off",
            "4: br0    inet 10.0.0.254/24 scope global br0\\       valid_lft forever preferred_lft forever",
            "3: veth-srv    inet6 fe80::c62:7bff:fed2:8e9f/64 scope link tentative \\       valid_lft forever preferred_lft forever");

    /** The same port while the kernel has not handled its carrier yet: the state the first packet of a test was lost in. */
    private static final String DISABLED_PORT = String.join(
            "\n",
            "4: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether aa:af:cd:ee:87:c0 brd ff:ff:ff:ff:ff:ff",
            "3: veth-srv@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master br0 state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\\    link/ether 0e:62:7b:d2:8e:9f brd ff:ff:ff:ff:ff:ff \\    veth \\    bridge_slave state disabled priority 32 cost 2");

    @Nested
    @DisplayName("LinkState.parse")
    class Parse {

        @Test
        @DisplayName("reads flags, operstate, bridge port state and tentative addresses of each interface")
        void readsEverything() {
            Map<String, LinkState> states = LinkState.parse(READY);

            assertThat(states).containsOnlyKeys("lo", "br0", "veth-srv");
            LinkState port = states.get("veth-srv");
            assertThat(port.flags()).contains("UP", "LOWER_UP");
            assertThat(port.operstate()).isEqualTo("UP");
            assertThat(port.portState()).isEqualTo("forwarding");
            assertThat(port.tentative()).containsExactly("fe80::c62:7bff:fed2:8e9f/64");
            assertThat(states.get("br0").portState()).isNull();
            assertThat(states.get("br0").tentative()).isEmpty();
            assertThat(states.get("lo").operstate()).isEqualTo("UNKNOWN");
        }

        @Test
        @DisplayName("a port without carrier is not ready and says why; with carrier and forwarding it is")
        void notReady() {
            LinkState port = LinkState.parse(DISABLED_PORT).get("veth-srv");

            assertThat(port.notReady(false)).isEqualTo("it has no carrier, as a bridge port it is disabled");
            assertThat(port.describe())
                    .isEqualTo("<NO-CARRIER,BROADCAST,MULTICAST,UP> operstate LOWERLAYERDOWN, bridge port disabled");
            assertThat(LinkState.parse(READY).get("veth-srv").notReady(false)).isNull();
        }

        @Test
        @DisplayName("tentative addresses count only where asked; dadfailed ones are kept apart")
        void addresses() {
            LinkState port = LinkState.parse(READY).get("veth-srv");
            assertThat(port.notReady(true)).isEqualTo("addresses still tentative (IPv6 duplicate address detection)");

            LinkState failed = LinkState.parse(
                            "2: eth0    inet6 2001:db8::1/64 scope global dadfailed tentative \\       valid_lft forever preferred_lft forever")
                    .get("eth0");
            assertThat(failed.dadFailed()).containsExactly("2001:db8::1/64");
            assertThat(failed.tentative()).isEmpty();
        }

        @Test
        @DisplayName("a carrier the link watcher has not handled yet (operstate still down) is not ready; UNKNOWN is")
        void operstate() {
            LinkState pending =
                    new LinkState("eth0", List.of("UP", "LOWER_UP"), "DOWN", null, List.of(), List.of(), null);
            assertThat(pending.notReady(false)).isEqualTo("its carrier is not handled yet");
            LinkState vxlan =
                    new LinkState("vx0", List.of("UP", "LOWER_UP"), "UNKNOWN", null, List.of(), List.of(), null);
            assertThat(vxlan.notReady(false)).isNull();
            LinkState down = new LinkState("eth0", List.of("BROADCAST"), "DOWN", null, List.of(), List.of(), null);
            assertThat(down.notReady(false)).isEqualTo("it is down");
        }

        @Test
        @DisplayName("a new veth reads UNKNOWN until the link watcher handles it: not ready until it reads UP")
        void vethUnknown() {
            LinkState fresh =
                    new LinkState("eth0", List.of("UP", "LOWER_UP"), "UNKNOWN", null, List.of(), List.of(), "veth");
            assertThat(fresh.notReady(false)).isEqualTo("its carrier is not handled yet");
            LinkState handled =
                    new LinkState("eth0", List.of("UP", "LOWER_UP"), "UP", null, List.of(), List.of(), "veth");
            assertThat(handled.notReady(false)).isNull();
        }

        @Test
        @DisplayName("ip -d -o link names the kind on the details line")
        void kindFromIp() {
            Map<String, LinkState> states = LinkState.parse("3: va@vb: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc"
                    + " noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/ether 16:c2:35:7e:4d:4f brd"
                    + " ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \\    veth addrgenmode eui64"
                    + " numtxqueues 2\n1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT"
                    + " group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0"
                    + "  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1");
            assertThat(states.get("va").kind()).isEqualTo("veth");
            assertThat(states.get("va").notReady(false)).isEqualTo("its carrier is not handled yet");
            assertThat(states.get("lo").kind()).isNull();
            assertThat(states.get("lo").notReady(false)).isNull();
        }
    }

    @Nested
    @DisplayName("Readiness")
    class Expectations {

        private final Topology topology = ApiBridge.topology(LabSpec.builder()
                .bridge("host", "br0")
                .container("srv", "host:br0", "10.0.0.1/24")
                .container("cli", "host:br0", "10.0.0.2/24")
                .address("cli", "eth0", "2001:db8::2/64", AddressOptions.dad())
                .build());

        @Test
        @DisplayName("ofLab: every interface the lab brings up; addresses count where the spec gives IPv6 or runs DAD")
        void ofLab() {
            Map<String, List<Readiness.Expected>> expected = Readiness.ofLab(topology, List.of());

            assertThat(expected.get("host"))
                    .extracting(Readiness.Expected::iface)
                    .containsExactlyInAnyOrder("veth-srv", "veth-cli", "br0");
            assertThat(expected.get("srv")).containsExactly(new Readiness.Expected("srv", "eth0", false));
            assertThat(expected.get("cli")).containsExactly(new Readiness.Expected("cli", "eth0", true));
            assertThat(Readiness.ofLab(topology, List.of("srv")).get("srv"))
                    .containsExactly(new Readiness.Expected("srv", "eth0", true));
        }

        @Test
        @DisplayName(
                "around: the interface, its veth peer and their bridges, leaving out what was taken down on purpose")
        void around() {
            assertThat(Readiness.around(topology, "srv", "eth0", Set.of()))
                    .containsOnlyKeys("srv", "host")
                    .satisfies(map -> assertThat(map.get("host"))
                            .extracting(Readiness.Expected::iface)
                            .containsExactly("veth-srv", "br0"));
            assertThat(Readiness.around(topology, "srv", "eth0", Set.of("cli/eth0"))
                            .get("host"))
                    .extracting(Readiness.Expected::iface)
                    .containsExactly("veth-srv");
        }

        @Test
        @DisplayName("problems: one line per interface not ready, naming it, why and its state; none when ready")
        void problems() {
            List<Readiness.Expected> host = Readiness.ofLab(topology, List.of()).get("host");

            assertThat(Readiness.problems(LinkState.parse(DISABLED_PORT), host))
                    .containsExactlyInAnyOrder(
                            "veth-srv: it has no carrier, as a bridge port it is disabled (<NO-CARRIER,BROADCAST,MULTICAST,UP>"
                                    + " operstate LOWERLAYERDOWN, bridge port disabled)",
                            "veth-cli is missing");
            assertThat(Readiness.problems(
                            LinkState.parse(READY), List.of(new Readiness.Expected("host", "veth-srv", false))))
                    .isEmpty();
        }
    }
}
