package dev.netnslab.internal.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.internal.topology.Names;
import dev.netnslab.internal.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Kathara labs read as specs (no kernel)")
class KatharaLabTest {

    @TempDir
    Path dir;

    private Topology read(String labConf, Map<String, String> files) throws IOException {
        Files.writeString(dir.resolve("lab.conf"), labConf);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.createDirectories(dir.resolve(file.getKey()).getParent());
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        return KatharaLab.read(dir).build();
    }

    @Nested
    @DisplayName("what a lab becomes")
    class Translation {

        @Test
        @DisplayName("a domain of two is a veth pair, of three a hub in the host side; MACs and names as written")
        void collisionDomains() throws IOException {
            Topology topology = read("""
                    LAB_DESCRIPTION="three devices"
                    # a comment
                    r1[0]="wan"
                    r1[1]="lan/02:00:00:00:00:01"
                    r2[0]='wan'
                    pc1[0]=lan
                    pc2[0]="lan"   # an inline comment
                    lonely[image]="kathara/base"
                    """, Map.of());
            assertThat(topology.namespaces()).containsExactly("r1", "r2", "pc1", "pc2", "lonely");
            assertThat(topology.veths())
                    .contains(new Topology.Veth(new Topology.End("r1", "eth0"), new Topology.End("r2", "eth0")));
            assertThat(topology.bridges()).containsExactly(new Topology.BridgeSpec(Names.HOST, "cd-lan", 0, 0xfff8));
            assertThat(topology.ports())
                    .extracting(Topology.PortSpec::iface)
                    .containsExactly("r1.eth1", "pc1.eth0", "pc2.eth0");
            assertThat(topology.links())
                    .filteredOn(l -> l.mac() != null)
                    .extracting(l -> l.namespace() + ":" + l.iface() + " " + l.mac())
                    .containsExactly("r1:eth1 02:00:00:00:00:01");
        }

        @Test
        @DisplayName("Kathara's device defaults are set before the links; IPv6 stays off unless asked for")
        void defaults() throws IOException {
            Topology topology = read("""
                    pc1[0]="a"
                    pc2[0]="a"
                    pc2[ipv6]="true"
                    pc2[sysctl]="net.ipv4.tcp_syncookies=0"
                    pc2[sysctl]="net.ipv4.conf.eth0.accept_redirects=0"
                    """, Map.of());
            assertThat(topology.sysctls())
                    .filteredOn(s -> s.namespace().equals("pc1"))
                    .allMatch(Topology.SysctlSpec::beforeLinks)
                    .extracting(s -> s.key() + "=" + s.value())
                    .contains(
                            "net.ipv4.ip_forward=1",
                            "net.ipv4.conf.all.rp_filter=0",
                            "net.ipv4.conf.default.rp_filter=0",
                            "net.ipv4.icmp_ratelimit=0",
                            "net.ipv6.conf.all.disable_ipv6=1",
                            "net.ipv6.conf.default.disable_ipv6=1");
            assertThat(topology.sysctls())
                    .filteredOn(s -> s.namespace().equals("pc2"))
                    .extracting(s -> s.key() + "=" + s.value() + (s.beforeLinks() ? "" : " (after links)"))
                    .contains(
                            "net.ipv6.conf.all.disable_ipv6=0",
                            "net.ipv6.conf.all.forwarding=1",
                            "net.ipv4.tcp_syncookies=0",
                            "net.ipv4.conf.eth0.accept_redirects=0 (after links)");
        }

        @Test
        @DisplayName("shared.startup, then DEVICE.startup, then DEVICE[exec], each in the device's namespace")
        void startups() throws IOException {
            Topology topology = read(
                    """
                    pc1[0]="a"
                    pc1[exec]="ip link set eth0 mtu 1400"
                    pc2[0]="a"
                    """,
                    Map.of(
                            "shared.startup", "echo shared\n",
                            "pc1.startup", "ip address add 10.0.0.1/24 dev eth0\n/etc/init.d/frr start\n"));
            assertThat(topology.startups())
                    .extracting(s -> s.namespace() + " " + s.origin())
                    .containsExactly(
                            "pc1 shared.startup",
                            "pc1 pc1.startup",
                            "pc1 pc1[exec] (lab.conf line 2)",
                            "pc2 shared.startup");
            assertThat(topology.startups().get(1).requires())
                    .containsExactly(new Topology.Requirement("frr", "pc1.startup line 2", "/etc/init.d/frr start"));
        }
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(
                        "a line that is no lab.conf line",
                        "pc1[0]=\"a\"\npc1 = a\n",
                        "lab.conf line 2 'pc1 = a'",
                        "expected DEVICE[N]=\"DOMAIN\""),
                Arguments.of(
                        "a reserved device name", "shared[0]=\"a\"\n", "lab.conf line 1", "is a name Kathara reserves"),
                Arguments.of(
                        "a domain name with other characters",
                        "pc1[0]=\"a-b\"\n",
                        "lab.conf line 1",
                        "named with letters, digits and _ only"),
                Arguments.of("a malformed MAC", "pc1[0]=\"a/02:00:00\"\n", "lab.conf line 1", "six hex pairs"),
                Arguments.of(
                        "an interface given twice",
                        "pc1[0]=\"a\"\npc1[0]=\"b\"\n",
                        "lab.conf line 2",
                        "is set already on line 1"),
                Arguments.of(
                        "a device twice on one domain",
                        "pc1[0]=\"a\"\npc1[1]=\"a\"\n",
                        "lab.conf line 2",
                        "connected to collision domain a already"),
                Arguments.of(
                        "a gap in the interface numbers",
                        "pc1[0]=\"a\"\npc1[2]=\"b\"\n",
                        "lab.conf line 2",
                        "has no interface 1"),
                Arguments.of(
                        "an ipv6 option that is not a boolean",
                        "pc1[0]=\"a\"\npc1[ipv6]=\"maybe\"\n",
                        "lab.conf line 2",
                        "expected true or false"),
                Arguments.of(
                        "a sysctl option that is not net.KEY=VALUE",
                        "pc1[sysctl]=\"kernel.panic=1\"\n",
                        "lab.conf line 1",
                        "expected one net.* sysctl as KEY=VALUE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    @DisplayName("a malformed lab.conf is refused naming the file, the line and what was expected")
    void malformed(String what, String labConf, String where, String expected) throws IOException {
        assertThatThrownBy(() -> read(labConf, Map.of()))
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining(dir.resolve("lab.conf") + " line")
                .hasMessageContaining(where.substring(where.indexOf("line")))
                .hasMessageContaining(expected);
    }

    @Test
    @DisplayName("every malformed line is reported at once")
    void everyLineAtOnce() {
        assertThatThrownBy(() -> read("pc1[0]=\"a-b\"\npc1 = a\n", Map.of()))
                .isInstanceOf(InvalidLabSpecException.class)
                .satisfies(e ->
                        assertThat(((InvalidLabSpecException) e).problems()).hasSize(2));
    }

    @Test
    @DisplayName("a startup line that asks the machine's service manager is refused, naming file and line")
    void serviceManagerRefused() {
        assertThatThrownBy(() -> read("pc1[0]=\"a\"\n", Map.of("pc1.startup", "ip link\nsystemctl start frr\n")))
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining(dir.resolve("pc1.startup") + " line 2 'systemctl start frr'")
                .hasMessageContaining("would start frr outside the lab");
    }

    @Test
    @DisplayName("a folder without lab.conf is refused")
    void noLabConf() {
        assertThatThrownBy(() -> KatharaLab.read(dir))
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageContaining("it has no lab.conf");
    }
}
