package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.testing.Kernel;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Namespace.call and Namespace.executor on the real kernel: Java code of this JVM inside a lab. */
@Tag("kernel")
@DisplayName("Namespace.call and executor: Java code inside a namespace")
class NamespaceCallTest {

    private static Lab lab;
    private static Namespace ns;

    @BeforeAll
    static void start() {
        lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), Kernel.backend());
        ns = lab.namespace("netns1");
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    private static String netnsOfThisThread() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    private static String netnsOf(Namespace namespace) throws IOException {
        return Kernel.runOk("stat", "-L", "-c", "net:[%i]", "/run/netns/" + namespace.systemName())
                .strip();
    }

    @Test
    @DisplayName("the task runs on a platform thread inside the namespace, the caller stays where it was")
    void runsInside() throws Exception {
        String outside = netnsOfThisThread();
        String inside = ns.call(NamespaceCallTest::netnsOfThisThread);
        assertThat(inside).isEqualTo(netnsOf(ns)).isNotEqualTo(outside);
        assertThat(netnsOfThisThread()).isEqualTo(outside);
        assertThat(ns.call(() -> Thread.currentThread().isDaemon())).isTrue();
        assertThat(lab.host().call(NamespaceCallTest::netnsOfThisThread)).isEqualTo(netnsOf(lab.host()));
    }

    @Test
    @DisplayName("a server socket bound by call accepts a client made in another namespace, from any thread")
    void serverAndClientAcrossNamespaces() throws Exception {
        try (ServerSocket server = ns.call(() -> new ServerSocket(7001, 50, InetAddress.getByName("10.200.1.1")))) {
            CompletableFuture<Integer> accepted = CompletableFuture.supplyAsync(() -> {
                try (Socket peer = server.accept();
                        OutputStream out = peer.getOutputStream()) {
                    out.write(42);
                    return peer.getPort();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket client = lab.host().call(() -> new Socket("10.200.1.1", 7001));
                    InputStream in = client.getInputStream()) {
                // Read on the test's own thread: the socket stays in the host namespace.
                assertThat(in.read()).isEqualTo(42);
                assertThat(accepted.get(5, TimeUnit.SECONDS)).isEqualTo(client.getLocalPort());
            }
        }
    }

    @Test
    @DisplayName("twin: a socket opened inside the namespace cannot reach the address once the link is down")
    void serverUnreachableWhenLinkDown() throws Exception {
        try (ServerSocket server = ns.call(() -> new ServerSocket(7002, 50, InetAddress.getByName("10.200.1.1")))) {
            lab.link("netns1", "veth2").down();
            try {
                assertThatThrownBy(() -> lab.host().call(() -> {
                            try (Socket socket = new Socket()) {
                                socket.connect(new InetSocketAddress("10.200.1.1", 7002), 300);
                            }
                            return null;
                        }))
                        .isInstanceOf(IOException.class);
            } finally {
                lab.link("netns1", "veth2").up();
            }
            assertThat(server.isBound()).isTrue();
        }
    }

    @Test
    @DisplayName("exceptions reach the caller unchanged, checked ones too")
    void exceptionsUnchanged() {
        FileNotFoundException thrown = new FileNotFoundException("nope");
        assertThatThrownBy(() -> ns.call(() -> {
                    throw thrown;
                }))
                .isSameAs(thrown);
        IllegalStateException unchecked = new IllegalStateException("bad");
        assertThatThrownBy(() -> ns.call(() -> {
                    throw unchecked;
                }))
                .isSameAs(unchecked);
        AssertionError error = new AssertionError("failed inside");
        assertThatThrownBy(() -> ns.call(() -> {
                    throw error;
                }))
                .isSameAs(error);
    }

    @Test
    @DisplayName("a call from inside the namespace runs at once, so nesting does not deadlock")
    void nested() throws Exception {
        assertThat(ns.call(() -> ns.call(() -> 7))).isEqualTo(7);
    }

    @Test
    @DisplayName("executor tasks run inside the namespace, and a blocking one does not hold up call")
    void executor() throws Exception {
        CompletableFuture<Void> blocker = new CompletableFuture<>();
        CompletableFuture<String> blocked = CompletableFuture.supplyAsync(
                () -> {
                    blocker.join();
                    return "released";
                },
                ns.executor());
        String inside = CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return netnsOfThisThread();
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        ns.executor())
                .get(5, TimeUnit.SECONDS);
        assertThat(inside).isEqualTo(netnsOf(ns));
        assertThat(ns.call(() -> "call still answers")).isEqualTo("call still answers");
        blocker.complete(null);
        assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo("released");
    }

    @Test
    @DisplayName("callAsync runs in the background inside the namespace while the caller goes on")
    void callAsync() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<String> inside = ns.callAsync(() -> {
            release.join();
            return netnsOfThisThread();
        });
        assertThat(ns.call(() -> "call still answers")).isEqualTo("call still answers");
        assertThat(inside).isNotDone();
        release.complete(null);
        assertThat(inside.get(5, TimeUnit.SECONDS)).isEqualTo(netnsOf(ns));
    }

    @Test
    @DisplayName("callAsync completes exceptionally with the task's checked exception, unchanged")
    void callAsyncFails() {
        FileNotFoundException thrown = new FileNotFoundException("nope");
        CompletableFuture<Object> failed = ns.callAsync(() -> {
            throw thrown;
        });
        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).hasCause(thrown);
    }

    @Test
    @DisplayName("canCall is true on this kernel as root, for the lab and each namespace")
    void canCall() {
        assertThat(lab.canCall()).isTrue();
        assertThat(ns.canCall()).isTrue();
        assertThat(lab.host().canCall()).isTrue();
    }

    @Test
    @DisplayName("socketFactory: an unconnected socket made by it connects from the test's thread inside the namespace")
    void socketFactory() throws Exception {
        try (ServerSocket server =
                ns.serverSocketFactory().createServerSocket(7003, 50, InetAddress.getByName("10.200.1.1"))) {
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (Socket accepted = server.accept()) { // accepted on a pool thread, outside the namespace
                    return accepted.getInetAddress().getHostAddress();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket client = lab.host().socketFactory().createSocket()) {
                // connect on the test's own thread, as a client library would on its own threads
                client.connect(new InetSocketAddress("10.200.1.1", 7003), 2000);
                assertThat(client.getLocalAddress().getHostAddress())
                        .isEqualTo(lab.host().address());
            }
            assertThat(peer.get(5, TimeUnit.SECONDS)).isEqualTo(lab.host().address());
        }
    }

    @Test
    @DisplayName("twin: sockets made on the test's own thread are outside the lab, where its addresses do not exist")
    void plainSocketsOutsideTheLab() throws Exception {
        // Binding sends no packet: a lab address can be bound only inside the lab's namespace.
        try (ServerSocket inside = ns.serverSocketFactory().createServerSocket();
                ServerSocket outside = new ServerSocket()) {
            inside.bind(new InetSocketAddress("10.200.1.1", 7004)); // from this thread, still inside netns1
            assertThatThrownBy(() -> outside.bind(new InetSocketAddress("10.200.1.1", 7005)))
                    .isInstanceOf(java.net.BindException.class);
        }
        try (Socket inside = lab.host().socketFactory().createSocket();
                Socket outside = new Socket()) {
            inside.bind(new InetSocketAddress(lab.host().address(), 0));
            assertThatThrownBy(
                            () -> outside.bind(new InetSocketAddress(lab.host().address(), 0)))
                    .isInstanceOf(java.net.BindException.class);
        }
    }

    @Test
    @DisplayName("the threads end with the lab, and later calls say the lab is closed")
    void endsWithLab() throws Exception {
        Lab own = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), Kernel.backend());
        Namespace inside = own.namespace("netns1");
        Thread thread = inside.call(Thread::currentThread);
        own.close();
        assertThat(thread.isAlive()).isFalse();
        assertThat(Kernel.namespacesOf(java.util.List.of(own.id()))).isEmpty();
        assertThatThrownBy(() -> inside.call(() -> 1))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("closed");
    }
}
