package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.settings.Settings;
import dev.netnslab.testing.Kernel;
import dev.netnslab.testing.TestSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A lab is handed over ready: user code that connects once, right after {@code Lab.start}, with a
 * budget below TCP's first retransmission (1 s), gets through. Before, the first SYN was often lost:
 * a veth's carrier was handled up to a second late, and its bridge port stayed disabled meanwhile.
 */
@Tag("kernel")
@DisplayName("Ready at handover")
class ReadyAtHandoverTest {

    /** Below TCP's initial retransmission timeout: a lost first SYN makes the connect fail. */
    private static final int CONNECT_BUDGET_MS = 700;

    private static final LabSpec TWO_ON_A_BRIDGE = LabSpec.builder()
            .bridge("host", "br0")
            .container("srv", "host:br0", "10.0.31.1/24")
            .container("cli", "host:br0", "10.0.31.2/24")
            .build();

    /** One fresh lab, one server, one connect right after start; the failure, or null when it got through. */
    private static String firstConnect(Settings settings) throws Exception {
        try (Lab lab = Lab.start(TWO_ON_A_BRIDGE, Kernel.backend(), settings)) {
            try (ServerSocket server = lab.namespace("srv").call(() -> {
                ServerSocket socket = new ServerSocket();
                socket.bind(new InetSocketAddress("10.0.31.1", 8080));
                return socket;
            })) {
                return lab.namespace("cli").call(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("10.0.31.1", 8080), CONNECT_BUDGET_MS);
                        return null;
                    } catch (IOException e) {
                        return lab.id() + ": " + e;
                    }
                });
            }
        }
    }

    private static List<String> firstConnects(int labs, Settings settings) throws Exception {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < labs; i++) {
            String failure = firstConnect(settings);
            if (failure != null) {
                failures.add(failure);
            }
        }
        return failures;
    }

    @Test
    @DisplayName("the first connect right after start gets through, on fresh lab after fresh lab")
    void firstConnectOnFreshLabs() throws Exception {
        assertThat(firstConnects(15, TestSettings.of())).isEmpty();
    }

    @Test
    @DisplayName("the first echo right after start is answered within ARP's first retransmission, lab after lab")
    void firstEchoOnFreshLabs() throws Exception {
        List<String> late = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            try (Lab lab = Lab.start(
                    LabSpec.singleNamespace("netns1", "10.200.1.1", null), Kernel.backend(), TestSettings.of())) {
                // One echo, no retry: a lost first ARP request would answer only after a second.
                boolean answered = lab.host()
                        .call(() -> java.net.InetAddress.getByName("10.200.1.1").isReachable(CONNECT_BUDGET_MS));
                if (!answered) {
                    late.add(lab.id());
                }
            }
        }
        assertThat(late).isEmpty();
    }

    @Test
    @DisplayName(
            "the first echo from a bridge's own address is answered at once, though the bridge may still read UNKNOWN")
    void firstEchoFromABridgeOnFreshLabs() throws Exception {
        LabSpec spec = LabSpec.builder()
                .bridge("host", "br0")
                .address("host", "br0", "10.0.32.1/24")
                .container("srv", "host:br0", "10.0.32.2/24")
                .build();
        List<String> late = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            try (Lab lab = Lab.start(spec, Kernel.backend(), TestSettings.of())) {
                // The echo leaves through the bridge's own queue, which the wait does not hold out for.
                boolean answered = lab.host()
                        .call(() -> java.net.InetAddress.getByName("10.0.32.2").isReachable(CONNECT_BUDGET_MS));
                if (!answered) {
                    late.add(lab.id());
                }
            }
        }
        assertThat(late).isEmpty();
    }

    @Test
    @DisplayName("also while busy loops load both cores")
    void firstConnectUnderLoad() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> loops = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread loop = new Thread(() -> {
                long spins = 0;
                while (!stop.get()) {
                    spins++;
                }
                if (spins == 42) {
                    System.out.print("");
                }
            });
            loop.setDaemon(true);
            loop.start();
            loops.add(loop);
        }
        try {
            assertThat(firstConnects(15, TestSettings.of())).isEmpty();
        } finally {
            stop.set(true);
            for (Thread loop : loops) {
                loop.join();
            }
        }
    }

    @Test
    @DisplayName("also where readiness is read with ip processes, as on the other backends")
    void firstConnectWithProcesses() throws Exception {
        assertThat(firstConnects(5, TestSettings.of("netnslab.checks", "process")))
                .isEmpty();
    }

    @Nested
    @DisplayName("when an interface cannot come up")
    class NotReady {

        @Test
        @DisplayName("Link.up() fails within netnslab.ready.timeout, naming the interface, why and its state")
        void upWhosePeerStaysDown() {
            try (Lab lab =
                    Lab.start(TWO_ON_A_BRIDGE, Kernel.backend(), TestSettings.of("netnslab.ready.timeout", "300ms"))) {
                Link link = lab.link("srv", "eth0");
                link.down();
                // The other end goes down behind the library's back: eth0 can get no carrier.
                assertThat(lab.host()
                                .exec("ip", "link", "set", "dev", "veth-srv", "down")
                                .isSuccess())
                        .isTrue();

                assertThatThrownBy(link::up)
                        .isInstanceOf(NetnsLabException.class)
                        .hasMessageContaining("Lab " + lab.id() + " was not ready within 300ms (netnslab.ready.timeout)"
                                + " after lab.link(\"srv\", \"eth0\").up()")
                        .hasMessageContaining("namespace srv, eth0: it has no carrier (<UP,NO-CARRIER")
                        .hasMessageContaining("namespace host, veth-srv: it is down")
                        .hasMessageContaining("A veth has carrier only when both of its ends are up");

                // Its twin: with the other end up again, up() returns and the path works.
                assertThat(lab.host()
                                .exec("ip", "link", "set", "dev", "veth-srv", "up")
                                .isSuccess())
                        .isTrue();
                link.up();
                dev.netnslab.assertj.NetnsAssertions.assertThat(lab.namespace("cli"))
                        .canPing("10.0.31.1");
            }
        }
    }
}
