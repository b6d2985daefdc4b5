package dev.netnslab.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.junit.NetnsLab;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Java code under test inside the lab: the JDK's HTTP server runs in namespace netns1, and the
 * JDK's HTTP client calls it from the host side, a different namespace, over the veth pair. Both
 * are made inside {@code call}, so their sockets and threads live in their namespaces.
 * The twin takes the veth down and expects the call to fail within the client's timeout.
 */
@Tag("kernel")
@DisplayName("A Java HTTP server in one namespace, a Java HTTP client in another")
@NetnsLab(ns = "netns1", ip = "10.200.1.1")
class JavaServerInNamespaceTest {

    /** The twin's budget: short, since the call is meant to run out of it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /**
     * The working call's budget: generous, since a JVM's first HTTP call loads and compiles the
     * client's classes, which on a loaded machine alone can take longer than a second.
     */
    private static final Duration WORKING_TIMEOUT = Duration.ofSeconds(30);

    private static HttpRequest hello(Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://10.200.1.1:8080/hello"))
                .timeout(timeout)
                .build();
    }

    private HttpServer server;

    @BeforeEach
    void serve(Namespace ns) throws Exception {
        assumeTrue(ns.canCall(), "Java code can enter the lab only on the local backend, as root");
        server = HelloServer.startIn(ns, "10.200.1.1", 8080);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A client whose connections are opened in {@code ns}: it is built, and sends, inside call. */
    private static HttpClient clientIn(Namespace ns, Duration connectTimeout) throws Exception {
        return ns.call(() -> HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .executor(ns.executor())
                .build());
    }

    @Test
    @DisplayName("the client in the host namespace gets the server's answer, sent from the host's address")
    void clientReachesServer(Lab lab) throws Exception {
        Namespace host = lab.host();
        HttpClient client = clientIn(host, WORKING_TIMEOUT);
        HttpResponse<String> response =
                host.call(() -> client.send(hello(WORKING_TIMEOUT), HttpResponse.BodyHandlers.ofString()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello " + host.address());
    }

    @Test
    @DisplayName("twin: with the veth down, the call ends at its timeout")
    void callFailsWhenLinkIsDown(Lab lab) throws Exception {
        Namespace host = lab.host();
        HttpClient client = clientIn(host, TIMEOUT);
        lab.link("netns1", "veth2").down();
        try {
            // Ended by the client's own timeout, not by a refusal or an error of the lab.
            assertThatThrownBy(() -> host.call(() -> client.send(hello(TIMEOUT), HttpResponse.BodyHandlers.ofString())))
                    .isInstanceOf(HttpTimeoutException.class);
        } finally {
            lab.link("netns1", "veth2").up();
        }
    }
}
