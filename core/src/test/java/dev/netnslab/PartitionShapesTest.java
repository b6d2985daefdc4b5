package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.diagnostics.LabReport;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.testing.Kernel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The partition shapes on the real kernel: five namespaces on one bridge, and one without an address. */
@Tag("kernel")
@DisplayName("Partition shapes: groups, isolate, one way, Jepsen's shapes")
class PartitionShapesTest {

    private static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5");
    private static Lab lab;

    @BeforeAll
    static void start() {
        LabSpec.Builder spec = LabSpec.builder().bridge("host", "br0");
        for (int i = 1; i <= NODES.size(); i++) {
            spec.container("n" + i, "host:br0", ip(i) + "/24");
        }
        lab = Lab.start(spec.namespace("bare").build(), Kernel.backend());
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @AfterEach
    void noRulesLeft() {
        for (String node : NODES) {
            assertThat(lab.namespace(node).exec("nft", "list", "tables").stdout())
                    .as("nft tables left in %s", node)
                    .doesNotContain("netnslab_");
        }
    }

    private static String ip(int i) {
        return "10.0.8." + i;
    }

    private static Namespace n(int i) {
        return lab.namespace("n" + i);
    }

    @Test
    @DisplayName("two groups: nothing crosses either way, each group still talks inside, heal restores every path")
    void groups() {
        try (Partition split = lab.partition(List.of("n1", "n2"), List.of("n3", "n4", "n5"))) {
            assertThat(n(1)).canPing(ip(2)).cannotPing(ip(3)).cannotPing(ip(5));
            assertThat(n(4)).canPing(ip(3)).canPing(ip(5)).cannotPing(ip(2));
            assertThat(split.cuts()).containsEntry("n1", Set.of("n3", "n4", "n5"));
            assertThat(split).hasToString("partition([n1, n2], [n3, n4, n5])");
            assertThat(LabReport.capture(ApiBridge.engine(lab)).text())
                    .contains("n1: cut off from n3, n4, n5 (partition([n1, n2], [n3, n4, n5]))")
                    .contains("n3: cut off from n1, n2");
        }
        assertThat(n(1)).canPing(ip(3)).canPing(ip(5));
        assertThat(n(4)).canPing(ip(2));
    }

    @Test
    @DisplayName("isolate: one namespace is cut from every other, the others still talk")
    void isolate() {
        try (Partition alone = lab.isolate("n3")) {
            assertThat(n(3)).cannotPing(ip(1)).cannotPing(ip(5));
            assertThat(n(5)).cannotPing(ip(3)).canPing(ip(1));
            assertThat(alone.cuts().get("n3")).containsExactlyInAnyOrder("n1", "n2", "n4", "n5");
        }
        assertThat(n(3)).canPing(ip(1)).canPing(ip(5));
    }

    @Test
    @DisplayName("one way: datagrams from n2 reach n1, those from n1 to n2 are dropped; a handshake from n2 fails")
    void oneWay() throws Exception {
        try (DatagramSocket atN1 = n(1).call(() -> new DatagramSocket(new InetSocketAddress(ip(1), 7031)));
                DatagramSocket atN2 = n(2).call(() -> new DatagramSocket(new InetSocketAddress(ip(2), 7032)))) {
            atN1.setSoTimeout(500);
            atN2.setSoTimeout(500);
            try (Partition deaf = lab.partitionOneWay("n1", "n2")) {
                send(atN2, ip(1), 7031, "n2 to n1");
                assertThat(receive(atN1)).isEqualTo("n2 to n1");
                send(atN1, ip(2), 7032, "n1 to n2");
                assertThatThrownBy(() -> receive(atN2)).isInstanceOf(SocketTimeoutException.class);
                assertThat(deaf.cuts()).isEqualTo(Map.of("n1", Set.of("n2")));
                assertThatThrownBy(() -> n(2).call(() -> {
                            try (Socket socket = new Socket()) {
                                socket.connect(new InetSocketAddress(ip(1), 22), 500);
                            }
                            return null;
                        }))
                        .as("the SYN reaches n1 but its answer is dropped")
                        .isInstanceOf(SocketTimeoutException.class);
                assertThat(LabReport.capture(ApiBridge.engine(lab)).text())
                        .contains("n1: its packets to n2 are dropped (partitionOneWay(n1, n2))")
                        .contains("n2: hears nothing from n1 (partitionOneWay(n1, n2))");
            }
            send(atN1, ip(2), 7032, "healed");
            assertThat(receive(atN2)).isEqualTo("healed");
        }
    }

    @Test
    @DisplayName("Jepsen's shapes: random halves, a majorities ring, a bridge")
    void jepsenShapes() {
        PartitionShape halves = PartitionShape.randomHalves(NODES, new Random(7));
        assertThat(halves.cutOff()).hasSize(5);
        String minority = halves.cutOff().entrySet().stream()
                .filter(e -> e.getValue().size() == 3)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        String majority = halves.cutOff().get(minority).iterator().next();
        try (Partition split = lab.partition(halves)) {
            assertThat(lab.namespace(minority))
                    .cannotPing(lab.namespace(majority).address());
        }
        assertThat(lab.namespace(minority)).canPing(lab.namespace(majority).address());

        try (Partition ring = lab.partition(PartitionShape.majoritiesRing(NODES))) {
            assertThat(ring.cuts().get("n1")).containsExactlyInAnyOrder("n3", "n4");
            assertThat(n(1)).canPing(ip(2)).canPing(ip(5)).cannotPing(ip(3));
        }
        try (Partition bridge = lab.partition(PartitionShape.bridge(NODES))) {
            assertThat(n(3)).canPing(ip(1)).canPing(ip(5));
            assertThat(n(1)).cannotPing(ip(5)).canPing(ip(2));
        }
        assertThat(n(1)).canPing(ip(3)).canPing(ip(5));
    }

    @Test
    @DisplayName("a partition that would cut nothing real is refused, naming the namespace, and changes nothing")
    void refused() {
        assertThatThrownBy(() -> lab.partition("host", "n1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lab.partition(host, n1) is refused: namespace host has no address of its own"
                        + " (loopback and link-local fe80:: addresses do not count), so there is no traffic between"
                        + " host and n1 to cut. Give it an address in the LabSpec, or leave it out of the partition.");
        assertThatThrownBy(() -> lab.partition(List.of("n1", "bare"), List.of("n2")))
                .hasMessageContaining("namespace bare has no address of its own");
        assertThatThrownBy(() -> lab.partition(List.of("n1", "n2"), List.of("n2")))
                .hasMessageContaining("namespace n2 is on both sides");
        assertThatThrownBy(() -> lab.partition(List.of(), List.of("n2")))
                .hasMessageContaining("each side needs at least one namespace");
        assertThatThrownBy(() -> lab.partitionOneWay("n1", "n1")).hasMessageContaining("cut from itself");
        assertThatThrownBy(() -> lab.isolate("bare")).hasMessageContaining("nothing to cut it from");
        assertThatThrownBy(() -> lab.partition(List.of("n1"), List.of("nope")))
                .hasMessageContaining("has no namespace 'nope'");
        assertThat(ApiBridge.engine(lab).faults().partitions()).isEmpty();
    }

    @Test
    @DisplayName("closing the lab ends an isolation with the namespaces")
    void closeUndoes() {
        Lab own = Lab.start(
                LabSpec.builder()
                        .bridge("host", "br0")
                        .container("a", "host:br0", "10.0.9.1/24")
                        .container("b", "host:br0", "10.0.9.2/24")
                        .build(),
                Kernel.backend());
        own.isolate("a");
        own.partitionOneWay("b", "a");
        own.close();
        assertThat(Kernel.namespacesOf(List.of(own.id()))).isEmpty();
    }

    private static void send(DatagramSocket socket, String ip, int port, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName(ip), port));
    }

    private static String receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[64], 64);
        socket.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }
}
