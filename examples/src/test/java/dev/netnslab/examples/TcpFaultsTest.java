package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.Connections;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Link;
import dev.netnslab.Namespace;
import dev.netnslab.junit.NetnsLab;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Toxiproxy's toxics without a proxy: a {@link ResilientClient} with timeouts and retries against
 * an echo server, under the kernel's versions of {@code reset_peer}, {@code timeout} and
 * {@code limit_data}, on the server's link or one way between two namespaces, and with what
 * reaches the server lost. Each fault has its twin: the same client call that passes once the fault
 * is cleared, that fails without retries, or that another client makes unharmed.
 */
@Tag("kernel")
@DisplayName("TCP faults: a client with retries and timeouts against reset, silence and a data limit")
@NetnsLab(topology = TcpFaultsTest.ClientAndServer.class)
class TcpFaultsTest {

    /** A client, a server and another client on one bridge. */
    public static class ClientAndServer implements LabTopology {
        @Override
        public LabSpec define() {
            return LabSpec.builder()
                    .bridge("host", "br0")
                    .container("client", "host:br0", "10.0.12.1/24")
                    .container("server", "host:br0", "10.0.12.2/24")
                    .container("other", "host:br0", "10.0.12.3/24")
                    .build();
        }
    }

    private static final String SERVER = "10.0.12.2";
    private static final int PORT = 7500;
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private BackgroundProcess echoServer;
    private Link serverLink;
    private final byte[] payload = new byte[20_000];

    @BeforeEach
    void startServer(Lab lab) throws Exception {
        assumeTrue(lab.canCall(), "Java code can enter the lab only on the local backend, as root");
        new Random(1).nextBytes(payload);
        Namespace server = lab.namespace("server");
        echoServer = server.spawn("socat", "TCP-LISTEN:" + PORT + ",reuseaddr,fork", "EXEC:cat");
        await("the echo server")
                .atMost(Duration.ofSeconds(10))
                .until(() ->
                        server.exec("ss", "-Hltn", "sport = :" + PORT).stdout().contains(":" + PORT));
        serverLink = lab.link("server", "eth0");
    }

    @AfterEach
    void stopServer() {
        // Nothing started when the test was skipped (Java cannot enter the lab here).
        if (serverLink != null) {
            serverLink.clear();
        }
        if (echoServer != null) {
            echoServer.close();
        }
    }

    private byte[] echo(Lab lab, ResilientClient client) throws Exception {
        return echoFrom(lab, "client", client);
    }

    private byte[] echoFrom(Lab lab, String ns, ResilientClient client) throws Exception {
        return lab.namespace(ns).call(() -> client.echo(payload, 1000));
    }

    @Test
    @DisplayName("reset_peer: the client gives up after its retries with a refused connection; cleared, it succeeds")
    void resetPeer(Lab lab) throws Exception {
        ResilientClient client = new ResilientClient(SERVER, PORT, TIMEOUT, 2);
        serverLink.resetConnections(PORT);
        assertThatThrownBy(() -> echo(lab, client)).isInstanceOf(ConnectException.class);
        assertThat(client.reconnects()).isEqualTo(2);
        serverLink.clear();
        assertThat(echo(lab, client)).isEqualTo(payload);
    }

    @Test
    @DisplayName(
            "timeout: the server goes silent while ping passes; the client times out, not hangs; cleared, it succeeds")
    void timeout(Lab lab) throws Exception {
        ResilientClient client = new ResilientClient(SERVER, PORT, TIMEOUT, 1);
        serverLink.silence(PORT);
        assertThat(lab.namespace("client")).canPing(SERVER);
        assertThatThrownBy(() -> echo(lab, client)).isInstanceOf(SocketTimeoutException.class);
        serverLink.clear();
        assertThat(echo(lab, client)).isEqualTo(payload);
    }

    @Test
    @DisplayName(
            "limit_data: each connection is cut after a few KB; the client resumes on new ones, without retries it fails")
    void limitData(Lab lab) throws Exception {
        serverLink.limitData(PORT, 8_000);
        ResilientClient resilient = new ResilientClient(SERVER, PORT, TIMEOUT, 3);
        assertThat(echo(lab, resilient)).isEqualTo(payload);
        assertThat(resilient.reconnects()).isGreaterThanOrEqualTo(2);

        ResilientClient oneShot = new ResilientClient(SERVER, PORT, TIMEOUT, 0);
        assertThatThrownBy(() -> echo(lab, oneShot)).isInstanceOf(IOException.class);
    }

    @Test
    @DisplayName(
            "reset_peer for one client: lab.connections(client, server) refuses it while another client gets through")
    void resetOneClientOnly(Lab lab) throws Exception {
        ResilientClient client = new ResilientClient(SERVER, PORT, TIMEOUT, 1);
        try (Connections toServer = lab.connections("client", "server").reset(PORT)) {
            assertThatThrownBy(() -> echo(lab, client)).isInstanceOf(ConnectException.class);
            assertThat(echoFrom(lab, "other", new ResilientClient(SERVER, PORT, TIMEOUT, 0)))
                    .isEqualTo(payload);
        }
        assertThat(echo(lab, client)).isEqualTo(payload);
    }

    @Test
    @DisplayName(
            "what reaches the server is lost (inbound loss on its link): the client times out; cleared, it succeeds")
    void inboundLoss(Lab lab) throws Exception {
        ResilientClient client = new ResilientClient(SERVER, PORT, TIMEOUT, 1);
        serverLink.inbound().loss(100);
        assertThatThrownBy(() -> echo(lab, client)).isInstanceOf(SocketTimeoutException.class);
        serverLink.clear();
        assertThat(echo(lab, client)).isEqualTo(payload);
    }
}
