package dev.netnslab.internal.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.internal.topology.Names;
import dev.netnslab.internal.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("containerlab files read as specs (no kernel)")
class ContainerlabFileTest {

    @TempDir
    Path dir;

    private Topology read(String yaml) throws IOException {
        Path file = dir.resolve("lab.clab.yml");
        Files.writeString(file, yaml);
        return ContainerlabFile.read(file).build();
    }

    @Test
    @DisplayName("linux nodes, a bridge node and links; exec inherited from defaults, kinds and groups, in order")
    void translation() throws IOException {
        Topology topology = read("""
                name: t
                topology:
                  defaults:
                    kind: linux
                    exec: ["echo defaults"]
                  kinds:
                    linux:
                      image: alpine
                      exec: ["echo kind"]
                  groups:
                    hosts:
                      exec: ["echo 'the group'"]
                  nodes:
                    a:
                      group: hosts
                      sysctls: {net.ipv4.ip_forward: 1}
                      exec: [ip address add 10.0.0.1/24 dev eth1]
                    b: {}
                    br1: {kind: bridge}
                  links:
                    - endpoints: ["a:eth1", "b:eth1"]
                    - endpoints: ["b:eth2", "br1:p1"]
                    - type: veth
                      mtu: 1500
                      endpoints:
                        - {node: a, interface: eth2, mac: "02:00:00:00:00:0a"}
                        - {node: host, interface: veth-a}
                """);
        assertThat(topology.namespaces()).containsExactly("a", "b");
        assertThat(topology.bridges()).containsExactly(new Topology.BridgeSpec(Names.HOST, "br1"));
        assertThat(topology.veths())
                .containsExactly(
                        new Topology.Veth(new Topology.End("a", "eth1"), new Topology.End("b", "eth1")),
                        new Topology.Veth(new Topology.End("b", "eth2"), new Topology.End(Names.HOST, "p1")),
                        new Topology.Veth(new Topology.End("a", "eth2"), new Topology.End(Names.HOST, "veth-a")));
        assertThat(topology.ports()).containsExactly(new Topology.PortSpec(Names.HOST, "p1", "br1"));
        assertThat(topology.links())
                .extracting(l -> l.namespace() + ":" + l.iface() + " " + l.mtu())
                .contains("a:eth1 9500", "a:eth2 1500");
        assertThat(topology.startups())
                .filteredOn(s -> s.namespace().equals("a"))
                .extracting(Topology.StartupSpec::argv)
                .containsExactly(
                        List.of("echo", "defaults"),
                        List.of("echo", "kind"),
                        List.of("echo", "the group"),
                        List.of("ip", "address", "add", "10.0.0.1/24", "dev", "eth1"));
        assertThat(topology.sysctls()).containsExactly(new Topology.SysctlSpec("a", "net.ipv4.ip_forward", "1", true));
    }

    @Test
    @DisplayName("a management network only when mgmt gives ipv4-subnet")
    void management() throws IOException {
        String nodes = """
                topology:
                  nodes:
                    a: {kind: linux}
                    b: {kind: linux}
                """;
        assertThat(read(nodes).bridges()).isEmpty();
        Topology withMgmt = read("mgmt:\n  ipv4-subnet: 172.20.20.0/24\n" + nodes);
        assertThat(withMgmt.bridges()).containsExactly(new Topology.BridgeSpec(Names.HOST, "clab-mgmt"));
        assertThat(withMgmt.addresses())
                .extracting(a -> a.namespace() + ":" + a.iface() + " " + a.cidr())
                .containsExactly("host:clab-mgmt 172.20.20.1/24", "a:eth0 172.20.20.2/24", "b:eth0 172.20.20.3/24");
    }

    static Stream<Arguments> errors() {
        String nodes = "topology:\n  nodes:\n    a: {kind: linux}\n    b: {kind: linux}\n";
        return Stream.of(
                Arguments.of("YAML that does not parse", "topology:\n  nodes: [a\n", "line 3", "expected YAML"),
                Arguments.of("no topology", "name: x\n", "line 1", "expected a containerlab topology"),
                Arguments.of(
                        "a node without a kind",
                        "topology:\n  nodes:\n    a: {image: x}\n",
                        "line 3",
                        "expected a kind for node a"),
                Arguments.of(
                        "a node of kind host",
                        "topology:\n  nodes:\n    h: {kind: host}\n",
                        "line 3",
                        "is of kind host, the machine itself"),
                Arguments.of(
                        "a node that needs an image",
                        "topology:\n  nodes:\n    srl: {kind: nokia_srlinux}\n",
                        "line 3",
                        "is of kind nokia_srlinux, which needs a container image or a VM"),
                Arguments.of(
                        "an endpoint without a colon",
                        nodes + "  links:\n    - endpoints: [\"a-eth1\", \"b:eth1\"]\n",
                        "line 6",
                        "expected an endpoint written node:interface"),
                Arguments.of(
                        "an endpoint on an unknown node",
                        nodes + "  links:\n    - endpoints: [\"c:eth1\", \"b:eth1\"]\n",
                        "line 6",
                        "the node c is not a linux or bridge node"),
                Arguments.of(
                        "a link with three endpoints",
                        nodes + "  links:\n    - endpoints: [\"a:e1\", \"b:e1\", \"b:e2\"]\n",
                        "line 6",
                        "expected two endpoints"),
                Arguments.of(
                        "a link that leaves the lab",
                        nodes + "  links:\n    - type: macvlan\n      endpoints: [\"a:e1\", \"b:e1\"]\n",
                        "line 6",
                        "expected a veth link"),
                Arguments.of(
                        "an interface on two links",
                        nodes
                                + "  links:\n    - endpoints: [\"a:e1\", \"b:e1\"]\n    - endpoints: [\"a:e1\", \"b:e2\"]\n",
                        "line 7",
                        "is an endpoint of the link on line 6 already"),
                Arguments.of(
                        "an exec whose quote is not closed",
                        "topology:\n  nodes:\n    a:\n      kind: linux\n      exec: [\"echo 'x\"]\n",
                        "line 5",
                        "expected a command line whose quotes are closed"),
                Arguments.of(
                        "a key given twice",
                        "topology:\n  nodes:\n    a: {kind: linux}\n    a: {kind: linux}\n",
                        "line 4",
                        "is given twice"),
                Arguments.of(
                        "a node name no namespace can have",
                        "topology:\n  nodes:\n    host: {kind: linux}\n",
                        "line 3",
                        "a linux node becomes a namespace"),
                Arguments.of(
                        "an exec that asks the service manager",
                        "topology:\n  nodes:\n    a:\n      kind: linux\n      exec: [\"service frr start\"]\n",
                        "line 5",
                        "asks this machine's service manager"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    @DisplayName("a malformed file is refused naming the file, the line and what was expected")
    void malformed(String what, String yaml, String line, String expected) {
        assertThatThrownBy(() -> read(yaml))
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining(dir.resolve("lab.clab.yml") + " " + line)
                .hasMessageContaining(expected);
    }

    @Test
    @DisplayName("a missing file is refused")
    void missingFile() {
        assertThatThrownBy(() -> ContainerlabFile.read(dir.resolve("none.clab.yml")))
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining("there is no such file");
    }
}
