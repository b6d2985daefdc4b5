package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static dev.netnslab.testing.Listeners.awaitListening;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.diagnostics.LabReport;
import dev.netnslab.internal.engine.ApiBridge;
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

/** TCP faults in the kernel, without a proxy: a client and an echo server (socat) on one bridge. */
@Tag("kernel")
@DisplayName("TCP faults: resetConnections, silence, limitData")
class TcpFaultsTest {

    private static final String SERVER = "10.0.11.2";
    private static final int PORT = 7040;
    private static final int OTHER_PORT = 7041;
    private static Lab lab;
    private static BackgroundProcess echo;
    private static BackgroundProcess otherEcho;

    @BeforeAll
    static void start() {
        lab = Lab.start(
                LabSpec.builder()
                        .bridge("host", "br0")
                        .container("client", "host:br0", "10.0.11.1/24")
                        .container("server", "host:br0", SERVER + "/24")
                        .build(),
                Kernel.backend());
        echo = lab.namespace("server").spawn("socat", "TCP-LISTEN:" + PORT + ",reuseaddr,fork", "EXEC:cat");
        otherEcho = lab.namespace("server").spawn("socat", "TCP-LISTEN:" + OTHER_PORT + ",reuseaddr,fork", "EXEC:cat");
        awaitListening(lab.namespace("server"), PORT);
        awaitListening(lab.namespace("server"), OTHER_PORT);
    }

    @AfterAll
    static void stop() {
        echo.close();
        otherEcho.close();
        lab.close();
    }

    @AfterEach
    void clear() {
        lab.link("client", "eth0").clear();
        assertThat(client().exec("nft", "list", "tables").stdout()).doesNotContain("netnslab_");
    }

    private static Namespace client() {
        return lab.namespace("client");
    }

    private static Socket connect(int port) throws Exception {
        return EchoClient.connect(client(), SERVER, port);
    }

    private static void roundTrip(Socket socket, int bytes) throws IOException {
        EchoClient.roundTrip(socket, bytes);
    }

    @Test
    @DisplayName("resetConnections: an open connection is reset, a new one refused; another port passes; clear mends")
    void reset() throws Exception {
        Link link = lab.link("client", "eth0");
        try (Socket open = connect(PORT)) {
            roundTrip(open, 10);
            link.resetConnections(PORT);
            assertThatThrownBy(() -> roundTrip(open, 10)).isInstanceOf(SocketException.class);
        }
        assertThatThrownBy(() -> connect(PORT)).isInstanceOf(ConnectException.class);
        try (Socket other = connect(OTHER_PORT)) {
            roundTrip(other, 10);
        }
        assertThat(link).hasToString("link client:eth0 (reset port 7040)");
        assertThat(LabReport.capture(ApiBridge.engine(lab)).text()).contains("client: eth0 reset port 7040");
        link.clear();
        try (Socket again = connect(PORT)) {
            roundTrip(again, 10);
        }
    }

    @Test
    @DisplayName("resetConnections on the server's side: the client's connect is refused too")
    void resetOnTheServerSide() throws Exception {
        Link link = lab.link("server", "eth0").resetConnections(PORT);
        try {
            assertThatThrownBy(() -> connect(PORT)).isInstanceOf(ConnectException.class);
        } finally {
            link.clear();
        }
        try (Socket again = connect(PORT)) {
            roundTrip(again, 10);
        }
    }

    @Test
    @DisplayName("silence: an open connection goes quiet while ping passes, and carries on after clear")
    void silence() throws Exception {
        Link link = lab.link("client", "eth0");
        try (Socket open = connect(PORT)) {
            roundTrip(open, 10);
            link.silence(PORT);
            open.getOutputStream().write(new byte[] {42});
            open.setSoTimeout(300);
            assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(client()).canPing(SERVER).cannotConnect(SERVER, PORT, Duration.ofMillis(300));
            assertThat(client()).canConnect(SERVER, OTHER_PORT, Duration.ofMillis(1000));
            link.clear();
            open.setSoTimeout(5000);
            assertThat(open.getInputStream().read())
                    .as("retransmitted after clear")
                    .isEqualTo(42);
        }
        assertThat(client()).canConnect(SERVER, PORT, Duration.ofMillis(1000));
    }

    @Test
    @DisplayName(
            "limitData: a connection is reset after about that many bytes; below the limit, and after clear, it is not")
    void limitData() throws Exception {
        Link link = lab.link("client", "eth0").limitData(PORT, 4000);
        try (Socket open = connect(PORT)) {
            roundTrip(open, 1000);
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 10; i++) {
                            try {
                                roundTrip(open, 1000);
                            } catch (SocketTimeoutException e) {
                                // The server's answer crossed the limit first: the reset went to the
                                // server and the answer was dropped; the next write meets the reset.
                            }
                        }
                    })
                    .isInstanceOf(IOException.class);
        }
        assertThat(link.toString()).contains("limit port 7040 to 4000 bytes");
        link.clear();
        try (Socket open = connect(PORT)) {
            for (int i = 0; i < 10; i++) {
                roundTrip(open, 1000);
            }
        }
    }

    @Test
    @DisplayName("bad ports and limits are refused before anything changes")
    void refused() {
        Link link = lab.link("client", "eth0");
        assertThatThrownBy(() -> link.resetConnections(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lab.link(\"client\", \"eth0\").resetConnections(0) is refused: a TCP port is 1-65535;"
                        + " pass the port the server listens on. Nothing was changed.");
        assertThatThrownBy(() -> link.limitData(PORT, 0)).hasMessageContaining("at least 1");
        assertThat(link).hasToString("link client:eth0");
    }
}
