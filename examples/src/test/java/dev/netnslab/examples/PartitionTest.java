package dev.netnslab.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Partition;
import dev.netnslab.junit.NetnsLab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A small replicated Java service across three namespaces: {@link LeaseNode}, a leader lease over
 * TCP. Isolate the leader and it must step down, while the two that still form a majority elect one
 * of themselves; heal and all three agree on one leader again. Split into two groups, the node alone
 * never leads; cut only what the leader sends, and it steps down though it still hears the others.
 * The control test shows the leader keeps its lease when nothing is cut.
 */
@Tag("kernel")
@DisplayName("Partitions: a leader lease across three namespaces")
@NetnsLab(topology = PartitionTest.ThreeNodes.class)
class PartitionTest {

    /** Three namespaces on one bridge: n1, n2 and n3 at 10.0.9.1-3. */
    public static class ThreeNodes implements LabTopology {
        @Override
        public LabSpec define() {
            return LabSpec.builder()
                    .bridge("host", "br0")
                    .container("n1", "host:br0", "10.0.9.1/24")
                    .container("n2", "host:br0", "10.0.9.2/24")
                    .container("n3", "host:br0", "10.0.9.3/24")
                    .build();
        }
    }

    private static final List<String> ADDRESSES = List.of("10.0.9.1", "10.0.9.2", "10.0.9.3");
    /** A dozen lease periods: time enough for any election to settle. */
    private static final Duration A_DOZEN_LEASES = Duration.ofMillis(12 * LeaseNode.LEASE_MILLIS);

    private final List<LeaseNode> nodes = new ArrayList<>();

    @BeforeEach
    void startNodes(Lab lab) throws Exception {
        assumeTrue(lab.canCall(), "Java code can enter the lab only on the local backend, as root");
        for (int i = 0; i < 3; i++) {
            List<String> peers = new ArrayList<>(ADDRESSES);
            peers.remove(i);
            nodes.add(LeaseNode.start(lab.namespace("n" + (i + 1)), ADDRESSES.get(i), peers));
        }
        await("one leader").atMost(A_DOZEN_LEASES).until(() -> leaders().size() == 1);
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (LeaseNode node : nodes) {
            node.close();
        }
    }

    private List<LeaseNode> leaders() {
        return nodes.stream().filter(LeaseNode::isLeader).toList();
    }

    private static String name(LeaseNode node) {
        return "n" + (ADDRESSES.indexOf(node.id()) + 1);
    }

    @Test
    @DisplayName("control: without a partition the leader keeps its lease")
    void leaderKeepsLease() {
        LeaseNode leader = leaders().get(0);
        await(leader + " to keep its lease for a second")
                .during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(leader::isLeader);
        assertThat(leaders()).containsExactly(leader);
    }

    @Test
    @DisplayName("two groups: the side with a majority keeps one leader, the node alone on the other side never leads")
    void majoritySideKeepsALeader(Lab lab) {
        LeaseNode old = leaders().get(0);
        List<LeaseNode> others = nodes.stream().filter(n -> n != old).toList();
        LeaseNode alone = others.get(1);
        try (Partition split = lab.partition(List.of(name(old), name(others.get(0))), List.of(name(alone)))) {
            await(alone + " never to lead while it is alone")
                    .during(Duration.ofMillis(3 * LeaseNode.LEASE_MILLIS))
                    .atMost(A_DOZEN_LEASES)
                    .until(() -> !alone.isLeader());
            await("one leader on the majority side")
                    .atMost(A_DOZEN_LEASES)
                    .until(() -> leaders().size() == 1 && leaders().get(0) != alone);
        }
        await("one leader after healing")
                .atMost(A_DOZEN_LEASES)
                .until(() -> leaders().size() == 1);
    }

    @Test
    @DisplayName("one way: a leader whose packets no longer reach the others steps down, though it still hears them")
    void leaderThatCannotSpeakStepsDown(Lab lab) {
        LeaseNode old = leaders().get(0);
        List<String> others =
                nodes.stream().filter(n -> n != old).map(PartitionTest::name).toList();
        try (Partition toFirst = lab.partitionOneWay(name(old), others.get(0));
                Partition toSecond = lab.partitionOneWay(name(old), others.get(1))) {
            await(old + " to step down").atMost(A_DOZEN_LEASES).until(() -> !old.isLeader());
            await("a new leader among " + others)
                    .atMost(A_DOZEN_LEASES)
                    .until(() -> leaders().size() == 1 && leaders().get(0) != old);
        }
        await("one leader after healing")
                .atMost(A_DOZEN_LEASES)
                .until(() -> leaders().size() == 1);
    }

    @Test
    @DisplayName(
            "the leader cut off from the majority steps down, the majority elects another, and healing brings one leader back")
    void leaderStepsDownAndServiceRecovers(Lab lab) {
        LeaseNode old = leaders().get(0);
        List<String> others =
                nodes.stream().filter(n -> n != old).map(PartitionTest::name).toList();
        try (Partition alone = lab.isolate(name(old))) {
            await(old + " to step down").atMost(A_DOZEN_LEASES).until(() -> !old.isLeader());
            await("a new leader among " + others)
                    .atMost(A_DOZEN_LEASES)
                    .until(() -> leaders().size() == 1 && leaders().get(0) != old);
            assertThat(old.isLeader()).isFalse();
        }
        await("one leader that all three grant their lease to")
                .atMost(A_DOZEN_LEASES)
                .until(() -> {
                    List<LeaseNode> leaders = leaders();
                    return leaders.size() == 1
                            && nodes.stream().allMatch(n -> leaders.get(0).id().equals(n.grantedTo()));
                });
    }
}
