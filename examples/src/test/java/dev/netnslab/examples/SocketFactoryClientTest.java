package dev.netnslab.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.junit.NetnsLab;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client library bound to a namespace by construction: OkHttp takes a {@code javax.net.SocketFactory},
 * and {@code Namespace.socketFactory()} makes every socket it opens inside the lab, whichever thread
 * OkHttp connects from. The test calls the client from its own thread, never inside {@code call}.
 * The twin takes the veth down and expects the call to fail at the client's timeout.
 */
@Tag("kernel")
@DisplayName("OkHttp with the namespace's SocketFactory, called from the test's own thread")
@NetnsLab(ns = "netns1", ip = "10.200.1.1")
class SocketFactoryClientTest {

    private static final Request HELLO =
            new Request.Builder().url("http://10.200.1.1:8080/hello").build();

    private HttpServer server;

    @BeforeEach
    void serve(Lab lab, Namespace ns) throws Exception {
        assumeTrue(lab.canCall(), "Java code can enter the lab only on the local backend, as root");
        server = HelloServer.startIn(ns, "10.200.1.1", 8080);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /**
     * A client whose sockets are the namespace's, with {@code timeout} to connect and to read. The
     * working call gets a generous one (a JVM's first call loads and compiles the client's classes);
     * the twin a short one, which it is meant to run out of.
     */
    private static OkHttpClient clientIn(Namespace ns, Duration timeout) {
        return new OkHttpClient.Builder()
                .socketFactory(ns.socketFactory())
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .retryOnConnectionFailure(false)
                .build();
    }

    @Test
    @DisplayName("the host side's client gets the server's answer, sent from the host side's address")
    void clientReachesServer(Lab lab) throws IOException {
        OkHttpClient client = clientIn(lab.host(), Duration.ofSeconds(30));
        try (Response response = client.newCall(HELLO).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("hello " + lab.host().address());
        }
        client.connectionPool().evictAll(); // the next call opens a new connection, on this thread
        try (Response again = client.newCall(HELLO).execute()) {
            assertThat(again.code()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("twin: with the veth down, the call fails at the client's timeout")
    void callFailsWhenLinkIsDown(Lab lab) {
        OkHttpClient client = clientIn(lab.host(), Duration.ofSeconds(1));
        lab.link("netns1", "veth2").down();
        try {
            assertThatThrownBy(() -> client.newCall(HELLO).execute().close()).isInstanceOf(IOException.class);
        } finally {
            lab.link("netns1", "veth2").up();
        }
    }
}
