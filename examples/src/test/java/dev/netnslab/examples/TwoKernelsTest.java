package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One lab over two kernels: a router on this machine's kernel, and its two hosts on another machine
 * reached over SSH. Each of the router's links crosses the kernels, so each is a VXLAN tunnel over
 * the machines' own network; traffic from h1 to h2 crosses it twice. The second machine here is a
 * network namespace with its own address and sshd on this machine (the test fixture); on real
 * machines, open them with {@code Backend.open("ssh://root@host")}.
 */
@Tag("kernel")
@DisplayName("Two kernels: a router on this one, its hosts on another machine")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoKernelsTest {

    private SecondMachineLab kernels;
    private Lab lab;

    static LabSpec routerAndHosts() {
        return LabSpec.builder()
                .namespace("router")
                .namespace("h1")
                .namespace("h2")
                .veth("router:eth1", "h1:eth0")
                .veth("router:eth2", "h2:eth0")
                .address("router", "eth1", "10.60.1.1/24")
                .address("router", "eth2", "10.60.2.1/24")
                .address("h1", "eth0", "10.60.1.2/24")
                .address("h2", "eth0", "10.60.2.2/24")
                .route("h1", "default", "10.60.1.1")
                .route("h2", "default", "10.60.2.1")
                .ipForward("router", true)
                .on("remote", "h1", "h2")
                .build();
    }

    @BeforeAll
    void start() {
        kernels = SecondMachineLab.start(routerAndHosts());
        lab = kernels.lab();
    }

    @AfterAll
    void stop() {
        if (kernels != null) {
            kernels.close();
        }
    }

    @Test
    @DisplayName("the router runs here, the hosts there")
    void placement() {
        assertThat(lab.namespace("router").kernel()).isEqualTo("default");
        assertThat(lab.namespace("h1").kernel()).isEqualTo("remote");
        assertThat(lab.namespace("h2").kernel()).isEqualTo("remote");
    }

    @Test
    @DisplayName("h1 reaches h2 through the router, both ways, and full-size packets fit the tunnel")
    void hostsReachEachOtherThroughTheRouter() {
        assertThat(lab.namespace("h1")).canPing("10.60.2.2");
        assertThat(lab.namespace("h2")).canPing("10.60.1.2");
        assertThat(lab.namespace("h1").exec("ping", "-c", "1", "-W", "2", "-M", "do", "-s", "1300", "10.60.2.2"))
                .succeeded();
    }

    @Test
    @DisplayName("a TCP connection from h1 to a server on h2 crosses both tunnels")
    void tcpAcross() {
        Namespace h2 = lab.namespace("h2");
        try (BackgroundProcess server = h2.spawn("socat", "TCP-LISTEN:8080,bind=10.60.2.2,fork,reuseaddr", "-")) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            !h2.exec("ss", "-Hltn", "sport = :8080").stdout().isBlank());
            assertThat(lab.namespace("h1")).canConnect("10.60.2.2", 8080);
        }
    }

    @Test
    @DisplayName("twin: with the router's link to h2 down, h1 no longer reaches h2")
    void twinRouterLinkDown() {
        lab.link("router", "eth2").down();
        try {
            assertThatThrownBy(() -> assertThat(lab.namespace("h1")).canPing("10.60.2.2"))
                    .isInstanceOf(AssertionError.class);
        } finally {
            lab.link("router", "eth2").up();
        }
        assertThat(lab.namespace("h1")).canPing("10.60.2.2");
    }
}
