package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.Partition;
import dev.netnslab.junit.NetnsLab;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The README's "Java code inside the lab" example as a new user would write it from the README
 * alone: a server socket made by {@code call} in one namespace, a client in another, a link taken
 * down and up, a partition in try-with-resources. The twin checks that the client really depends
 * on the link: with it down, a new connection fails.
 */
@Tag("kernel")
@DisplayName("README: Java code inside the lab, and faults while it runs")
@NetnsLab(ns = "netns1", ip = "10.200.1.1")
class ReadmeJavaInsideTest {

    @BeforeEach
    void needsTheLabOnThisKernel(Namespace ns) throws Exception {
        assumeTrue(ns.canCall(), "Java code can enter the lab only on the local backend, as root");
    }

    @Test
    @DisplayName("the README's example: a server in netns1, a client in the host, a link flap and a partition")
    void survivesALinkFlap(Lab lab, Namespace ns) throws Exception {
        try (ServerSocket server = ns.call(() -> new ServerSocket(8080, 50, InetAddress.getByName("10.200.1.1")));
                Socket client = lab.host().call(() -> new Socket("10.200.1.1", 8080));
                Socket accepted = server.accept()) {
            client.getOutputStream().write(1);
            assertThat(accepted.getInputStream().read()).isEqualTo(1);

            lab.link("netns1", "veth2").down();
            assertThat(lab.host()).cannotPing("10.200.1.1");
            lab.link("netns1", "veth2").up();
            assertThat(lab.host()).canPing("10.200.1.1");
        }
        try (Partition split = lab.partition("host", "netns1")) {
            assertThat(split.isActive()).isTrue();
            assertThat(lab.host()).cannotPing("10.200.1.1");
        }
        assertThat(lab.host()).canPing("10.200.1.1");
    }

    @Test
    @DisplayName("twin: while the link is down, the client cannot connect to the server")
    void clientFailsWhileLinkIsDown(Lab lab, Namespace ns) throws Exception {
        try (ServerSocket server = ns.call(() -> new ServerSocket(8081, 50, InetAddress.getByName("10.200.1.1")))) {
            lab.link("netns1", "veth2").down();
            try {
                assertThatThrownBy(() -> lab.host().call(() -> {
                            try (Socket socket = new Socket()) {
                                socket.connect(new java.net.InetSocketAddress("10.200.1.1", 8081), 500);
                            }
                            return null;
                        }))
                        .isInstanceOf(java.io.IOException.class);
            } finally {
                lab.link("netns1", "veth2").up();
            }
            assertThat(server.isClosed()).isFalse();
        }
    }

    @Test
    @DisplayName("twin: inside a partition the client cannot connect either, and can again once it is healed")
    void clientFailsInsidePartition(Lab lab, Namespace ns) throws Exception {
        try (ServerSocket server = ns.call(() -> new ServerSocket(8082, 50, InetAddress.getByName("10.200.1.1")))) {
            try (Partition split = lab.partition("host", "netns1")) {
                assertThat(lab.host()).cannotConnect("10.200.1.1", 8082);
            }
            assertThat(lab.host()).canConnect("10.200.1.1", 8082);
            assertThat(server.isBound()).isTrue();
        }
    }
}
