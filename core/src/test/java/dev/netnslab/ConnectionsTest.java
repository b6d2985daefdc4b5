package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static dev.netnslab.testing.Listeners.awaitListening;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.diagnostics.LabReport;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.testing.BridgeLabs;
import dev.netnslab.testing.EchoClient;
import dev.netnslab.testing.Kernel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TCP faults per namespace pair and direction, on the real kernel: a, b and c on one bridge, each
 * running an echo server (socat) on the same port.
 */
@Tag("kernel")
@DisplayName("lab.connections(from, to): TCP faults in one direction between two namespaces")
class ConnectionsTest {

    private static final String A = "10.0.25.1";
    private static final String B = "10.0.25.2";
    private static final String B6 = "fd00:25::2";
    private static final int PORT = 7050;
    private static final int OTHER_PORT = 7051;
    private static Lab lab;
    private static final java.util.List<BackgroundProcess> servers = new java.util.ArrayList<>();

    @BeforeAll
    static void start() {
        lab = Lab.start(
                BridgeLabs.onOneBridge("10.0.25", "a", "b", "c")
                        .address("a", "eth0", "fd00:25::1/64")
                        .address("b", "eth0", B6 + "/64")
                        .build(),
                Kernel.backend());
        for (String ns : new String[] {"a", "b", "c"}) {
            for (int port : new int[] {PORT, OTHER_PORT}) {
                servers.add(lab.namespace(ns).spawn("socat", "TCP6-LISTEN:" + port + ",reuseaddr,fork", "EXEC:cat"));
                awaitListening(lab.namespace(ns), port);
            }
        }
    }

    @AfterAll
    static void stop() {
        servers.forEach(BackgroundProcess::close);
        lab.close();
    }

    @AfterEach
    void heal() {
        lab.connections("a", "b").heal();
        assertThat(lab.namespace("a").exec("nft", "list", "tables").stdout()).doesNotContain("netnslab_");
    }

    private static Socket connect(String from, String ip, int port) throws Exception {
        return EchoClient.connect(lab.namespace(from), ip, port);
    }

    private static void roundTrip(Socket socket, int bytes) throws IOException {
        EchoClient.roundTrip(socket, bytes);
    }

    @Test
    @DisplayName(
            "reset: a's connections to b's port are reset and refused, over IPv4 and IPv6; b to a, c to b and other ports pass")
    void reset() throws Exception {
        Connections toB = lab.connections("a", "b");
        assertThat(lab.connections("a", "b")).isSameAs(toB);
        try (Socket open = connect("a", B, PORT)) {
            roundTrip(open, 10);
            toB.reset(PORT);
            assertThatThrownBy(() -> roundTrip(open, 10)).isInstanceOf(SocketException.class);
        }
        assertThatThrownBy(() -> connect("a", B, PORT)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> connect("a", B6, PORT)).isInstanceOf(ConnectException.class);
        try (Socket back = connect("b", A, PORT);
                Socket fromC = connect("c", B, PORT);
                Socket other = connect("a", B, OTHER_PORT)) {
            roundTrip(back, 10);
            roundTrip(fromC, 10);
            roundTrip(other, 10);
        }
        assertThat(toB).hasToString("connections(a, b) (reset port 7050)");
        assertThat(toB.isActive()).isTrue();
        assertThat(LabReport.capture(ApiBridge.engine(lab)).text())
                .contains("a: its connections to b: reset port 7050 (connections(a, b))");
        assertThatThrownBy(() -> assertThat(lab.namespace("a")).canConnect(B, PORT, Duration.ofMillis(500)))
                .hasMessageContaining("lab.connections(\"a\", \"b\") has reset port 7050, active since");

        toB.heal();
        assertThat(toB.isActive()).isFalse();
        assertThat(LabReport.capture(ApiBridge.engine(lab)).text()).contains("connections(a, b) reset port 7050: ");
        try (Socket again = connect("a", B, PORT)) {
            roundTrip(again, 10);
        }
    }

    @Test
    @DisplayName("silence: a's connections to b's port hang while ping passes; b to a passes; healed, they carry on")
    void silence() throws Exception {
        try (Connections toB = lab.connections("a", "b");
                Socket open = connect("a", B, PORT)) {
            roundTrip(open, 10);
            toB.silence(PORT);
            open.getOutputStream().write(new byte[] {42});
            open.setSoTimeout(300);
            assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(lab.namespace("a")).canPing(B).cannotConnect(B, PORT, Duration.ofMillis(300));
            assertThat(lab.namespace("b")).canConnect(A, PORT, Duration.ofMillis(1000));
            assertThat(lab.namespace("c")).canConnect(B, PORT, Duration.ofMillis(1000));
            toB.heal();
            open.setSoTimeout(5000);
            assertThat(open.getInputStream().read())
                    .as("retransmitted after heal")
                    .isEqualTo(42);
        }
        assertThat(lab.namespace("a")).canConnect(B, PORT, Duration.ofMillis(1000));
    }

    @Test
    @DisplayName(
            "limitData: a's connection to b is reset past the limit; c's carries the same bytes; healed, a's does too")
    void limitData() throws Exception {
        Connections toB = lab.connections("a", "b").limitData(PORT, 4000);
        try (Socket open = connect("a", B, PORT)) {
            roundTrip(open, 1000);
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 10; i++) {
                            try {
                                roundTrip(open, 1000);
                            } catch (SocketTimeoutException e) {
                                // b's answer crossed the limit: b was reset, a learns at its next write.
                            }
                        }
                    })
                    .isInstanceOf(IOException.class);
        }
        try (Socket fromC = connect("c", B, PORT)) {
            for (int i = 0; i < 10; i++) {
                roundTrip(fromC, 1000);
            }
        }
        assertThat(toB).hasToString("connections(a, b) (limit port 7050 to 4000 bytes)");
        toB.heal();
        try (Socket open = connect("a", B, PORT)) {
            for (int i = 0; i < 10; i++) {
                roundTrip(open, 1000);
            }
        }
    }

    @Test
    @DisplayName("unknown names, the same name twice, bad ports and limits are refused before anything changes")
    void refused() {
        assertThatThrownBy(() -> lab.connections("a", "zz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lab.connections(\"a\", \"zz\") is refused: lab " + lab.id()
                        + " has no namespace \"zz\"; it has [host, a, b, c]. Pass two of those. Nothing was changed.");
        assertThatThrownBy(() -> lab.connections("a", "a")).hasMessageContaining("the two namespaces are the same");
        assertThatThrownBy(() -> lab.connections("a", "b").reset(0))
                .hasMessage("lab.connections(\"a\", \"b\").reset(0) is refused: a TCP port is 1-65535;"
                        + " pass the port the server listens on. Nothing was changed.");
        assertThatThrownBy(() -> lab.connections("a", "b").limitData(PORT, 0)).hasMessageContaining("at least 1");
        assertThat(lab.connections("a", "b").isActive()).isFalse();
    }

    @Test
    @DisplayName("closing the lab with a fault active removes it with the namespaces")
    void closeRemovesIt() {
        Lab other = Lab.start(
                LabSpec.builder()
                        .bridge("host", "br0")
                        .container("x", "host:br0", "10.0.26.1/24")
                        .container("y", "host:br0", "10.0.26.2/24")
                        .build(),
                Kernel.backend());
        String x = other.namespace("x").systemName();
        try {
            other.connections("x", "y").reset(PORT).silence(OTHER_PORT);
            assertThat(other.namespace("x").exec("nft", "list", "tables").stdout())
                    .contains("netnslab_conn_reset_")
                    .contains("netnslab_conn_silence_");
        } finally {
            other.close();
        }
        assertThat(lab.host().exec("ip", "netns", "list").stdout()).doesNotContain(x);
    }
}
