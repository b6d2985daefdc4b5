package dev.netnslab.assertj;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static dev.netnslab.testing.Listeners.awaitListening;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.ExecSpec;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.Route;
import dev.netnslab.internal.backend.local.LocalBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Structured state, IPv6 targets and exec with an environment, on the real kernel. The lab is a
 * bridge on the host side with two containers; what the builder does not make yet (a second
 * routing table, a static neighbour, FDB entries, bridge port flags, IPv6 addresses) is added by
 * hand with {@code ip} and {@code bridge}, the way a CNI plugin would.
 */
@Tag("kernel")
@DisplayName("Structured state and IPv6 checks on the real kernel")
class StructuredStateTest {

    private static Lab lab;
    private static Namespace a;
    private static Namespace b;

    @BeforeAll
    static void startLab() {
        lab = Lab.start(
                LabSpec.builder()
                        .bridge("host", "br0", "172.16.9.1/24")
                        .container("sa", "host:br0", "172.16.9.2/24")
                        .container("sb", "host:br0", "172.16.9.3/24")
                        .rate("sb", "eth0", "10mbit")
                        .build(),
                LocalBackend.probe("ip"));
        a = lab.namespace("sa");
        b = lab.namespace("sb");
        run(a, "ip", "addr", "add", "fd00:9::2/64", "dev", "eth0", "nodad");
        run(b, "ip", "addr", "add", "fd00:9::3/64", "dev", "eth0", "nodad");
        run(a, "ip", "route", "add", "10.77.0.0/24", "via", "172.16.9.1", "metric", "50", "table", "100");
        run(a, "ip", "route", "add", "10.77.0.0/24", "via", "172.16.9.1", "metric", "70", "src", "172.16.9.2");
        run(a, "ip", "route", "add", "blackhole", "10.78.0.0/16");
        run(a, "ip", "neigh", "add", "172.16.9.99", "lladdr", "02:00:00:00:00:99", "dev", "eth0", "nud", "permanent");
        run(a, "ip", "link", "add", "vx0", "type", "vxlan", "id", "42", "dev", "eth0", "dstport", "8472", "nolearning");
        run(a, "bridge", "fdb", "append", "02:00:00:00:00:42", "dev", "vx0", "dst", "172.16.9.3", "self", "permanent");
    }

    @AfterAll
    static void closeLab() {
        lab.close();
    }

    private static void run(Namespace ns, String... argv) {
        ExecResult result = ns.exec(argv);
        assertThat(result.isSuccess()).as(result.describe()).isTrue();
    }

    private static String hostPort() {
        return lab.host().bridgePorts().stream()
                .filter(p -> "br0".equals(p.bridge()))
                .findFirst()
                .orElseThrow()
                .name();
    }

    @Nested
    @DisplayName("routes")
    class Routes {

        @Test
        @DisplayName("carry gateway, device, scope, source, metric, table and type, in both families")
        void everyAttribute() {
            assertThat(a)
                    .route("10.77.0.0/24")
                    .hasGateway("172.16.9.1")
                    .hasDevice("eth0")
                    .hasMetric(70)
                    .hasSource("172.16.9.2")
                    .hasTable("main");
            assertThat(a).route("172.16.9.0/24").hasNoGateway().hasScope("link").hasSource("172.16.9.2");
            assertThat(a.routes("100"))
                    .extracting(Route::destination, Route::metric)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("10.77.0.0/24", 50L));
            assertThat(a).route("10.78.0.0/16").hasType("blackhole");
            assertThat(a)
                    .hasRoute("fd00:9::/64")
                    .route("fd00:9:0::/64")
                    .hasDevice("eth0")
                    .hasMetric(256);
            assertThat(a.routes("all")).anyMatch(r -> r.table().equals("local"));
        }

        @Test
        @DisplayName("a wrong attribute fails with the route as ip prints it")
        void wrongAttributeIsADiagnosis() {
            assertThatThrownBy(() -> assertThat(a).route("10.77.0.0/24").hasGateway("172.16.9.9"))
                    .hasMessage(
                            "Expecting route <10.77.0.0/24> of namespace <sa> to have gateway <172.16.9.9> but it has "
                                    + "<172.16.9.1>: 10.77.0.0/24 via 172.16.9.1 dev eth0 src 172.16.9.2 metric 70");
            assertThatThrownBy(() -> assertThat(a).route("10.79.0.0/24"))
                    .hasMessageContaining("to have a route to <10.79.0.0/24> but its routes are [");
            assertThatThrownBy(() -> assertThat(a).route("default").isOnLink())
                    .hasMessageContaining("to be onlink but its flags are []");
        }
    }

    @Test
    @DisplayName("neighbours, FDB entries and qdiscs, each check with its failing twin")
    void neighboursFdbAndQdiscs() {
        assertThat(a).hasNeighbour("172.16.9.99", "02:00:00:00:00:99").hasNoNeighbour("172.16.9.98");
        assertThatThrownBy(() -> assertThat(a).hasNeighbour("172.16.9.99", "02:00:00:00:00:98"))
                .hasMessageContaining("to have neighbour <172.16.9.99> at <02:00:00:00:00:98> but its neighbours are [")
                .hasMessageContaining("172.16.9.99 dev eth0 lladdr 02:00:00:00:00:99 PERMANENT");

        assertThat(a).hasFdbEntry("vx0", "02:00:00:00:00:42", "172.16.9.3").hasNoFdbEntry("vx0", "02:00:00:00:00:43");
        assertThatThrownBy(() -> assertThat(a).hasFdbEntry("vx0", "02:00:00:00:00:42", "172.16.9.4"))
                .hasMessageContaining(
                        "towards <172.16.9.4> but vx0's entries are [02:00:00:00:00:42 dev vx0 dst 172.16.9.3 self permanent");

        assertThat(b).hasQdisc("eth0", "tbf").hasNoQdisc("eth0", "htb");
        assertThatThrownBy(() -> assertThat(a).hasQdisc("eth0", "tbf"))
                .hasMessageContaining("to have a tbf qdisc on <eth0> but eth0 has [");
    }

    @Test
    @DisplayName("bridge ports with their flags, links with MAC, MTU and state, sysctls")
    void portsLinksAndSysctls() {
        // A port turns forwarding once the kernel has noticed its carrier; traffic through it shows it has.
        assertThat(a).canPing("172.16.9.3");
        String port = hostPort();
        assertThat(lab.host())
                .bridgePort(port)
                .hasBridge("br0")
                .hasState("forwarding")
                .isNotHairpin()
                .isNotIsolated()
                .isLearning();
        run(lab.host(), "ip", "link", "set", port, "type", "bridge_slave", "hairpin", "on", "isolated", "on");
        try {
            assertThat(lab.host()).bridgePort(port).isHairpin().isIsolated();
            assertThatThrownBy(() -> assertThat(lab.host()).bridgePort(port).isNotHairpin())
                    .hasMessageContaining("of namespace <host> to have hairpin off but it is: " + port + " master br0");
        } finally {
            run(lab.host(), "ip", "link", "set", port, "type", "bridge_slave", "hairpin", "off", "isolated", "off");
        }

        String mac = a.interfaces().stream()
                .filter(i -> i.name().equals("eth0"))
                .findFirst()
                .orElseThrow()
                .mac();
        assertThat(a).link("eth0").hasMac(mac.toUpperCase()).hasMtu(1500).isUp().hasOperState("UP");
        assertThat(a).link("vx0").isDown();
        assertThatThrownBy(() -> assertThat(a).link("eth0").hasMtu(9000))
                .hasMessageContaining("to have MTU <9000> but it has <1500>");

        run(a, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        assertThat(a).hasSysctl("net.ipv4.ip_forward", "1");
        assertThat(a.sysctl("net/ipv4/conf/eth0/forwarding")).isIn("0", "1");
        assertThatThrownBy(() -> assertThat(a).hasSysctl("net.ipv4.conf.eth0.rp_filter", "9"))
                .hasMessageContaining("but it is <");
        assertThatThrownBy(() -> a.sysctl("-a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'-a'");
    }

    @Nested
    @DisplayName("IPv6 targets")
    class Ipv6 {

        @Test
        @DisplayName("canPing, hasAddress and hasRoute take IPv6 literals, in any spelling")
        void pingAndState() {
            assertThat(a).canPing("fd00:9::3").canPing("FD00:9:0:0::3");
            assertThat(b)
                    .hasAddress("fd00:9::3")
                    .hasAddress("fd00:9:0::3/64")
                    .hasNoAddress("fd00:9::3/96")
                    .hasRoute("fd00:9::/64");
        }

        @Test
        @DisplayName("broken twin: with sb's link down, canPing fails and says where")
        void pingFailsWhenTheLinkIsDown() {
            run(b, "ip", "link", "set", "eth0", "down");
            try {
                assertThat(a).cannotPing("fd00:9::3");
                assertThatThrownBy(() -> assertThat(a).canPing("fd00:9::3"))
                        .hasMessageContaining("to reach <fd00:9::3>")
                        .hasMessageContaining(
                                "in-process icmp-echo fd00:9::3") // the local backend as root echoes in-process
                        .hasMessageContaining("there: sa -> sb (via eth0): sb's eth0 is down");
            } finally {
                // A link going down flushes its static IPv6 addresses (keep_addr_on_down=0).
                run(b, "ip", "link", "set", "eth0", "up");
                run(b, "ip", "addr", "replace", "fd00:9::3/64", "dev", "eth0", "nodad");
            }
        }

        @Test
        @DisplayName("canConnect reaches an IPv6 listener, and fails on a closed port")
        void connect() {
            try (BackgroundProcess server =
                    b.spawn("socat", "TCP6-LISTEN:8086,bind=[fd00:9::3],reuseaddr,fork", "EXEC:cat")) {
                awaitListening(b, 8086);
                assertThat(a).canConnect("fd00:9::3", 8086).cannotConnect("fd00:9::3", 8087);
                assertThatThrownBy(() -> assertThat(a).canConnect("fd00:9::3", 8087))
                        .hasMessageContaining("connection refused");
            }
        }
    }

    @Nested
    @DisplayName("exec with an environment")
    class Exec {

        @Test
        @DisplayName("passes variables, standard input and a working directory, and no shell reads them")
        void environmentStdinAndDirectory() {
            ExecResult result = a.exec(ExecSpec.of("sh", "-c", "printf '%s|%s|' \"$GREETING\" \"$PWD\"; cat")
                    .withEnv("GREETING", "$(id -u); echo hi")
                    .withWorkingDirectory("/tmp")
                    .withStdin("from stdin")
                    .withTimeout(Duration.ofSeconds(5)));

            assertThat(result).succeeded();
            assertThat(result.stdout()).isEqualTo("$(id -u); echo hi|/tmp|from stdin");
        }

        @Test
        @DisplayName("runs in the namespace, whose path names it for tools like nsenter")
        void pathNamesTheNamespace() {
            assertThat(a.path()).isEqualTo("/run/netns/" + a.systemName());
            assertThat(Files.exists(Path.of(a.path()))).isTrue();
            ExecResult inside =
                    lab.host().exec(ExecSpec.of("nsenter", "--net=" + a.path(), "ip", "-o", "addr", "show", "eth0"));
            assertThat(inside.stdout()).contains("172.16.9.2/24");
        }

        @Test
        @DisplayName("a missing working directory is the command's failure, not the library's")
        void missingDirectory() {
            ExecResult result = a.exec(ExecSpec.of("true").withWorkingDirectory("/nonexistent-netnslab"));
            assertThat(result.exitCode()).isEqualTo(125);
            assertThat(result.stderr()).contains("/nonexistent-netnslab");
        }
    }
}
