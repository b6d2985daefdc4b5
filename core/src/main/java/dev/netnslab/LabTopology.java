package dev.netnslab;

/**
 * A reusable lab definition: a class whose {@link #define()} returns the {@link LabSpec} to build.
 * Name it in {@code @NetnsLab(topology = ...)}, and every test class that names it gets the same
 * lab; with {@code shared = true} they even get the same running instance, built once per test run.
 *
 * <pre>{@code
 * public class TwoNodes implements LabTopology {
 *     @Override
 *     public LabSpec define() {
 *         return LabSpec.builder()
 *                 .node("node1", "10.0.0.10/24", "172.16.0.1/24")
 *                 .node("node2", "10.0.0.20/24", "172.16.1.1/24")
 *                 .container("c1", "node1", "172.16.0.2/24")
 *                 .container("c2", "node2", "172.16.1.2/24")
 *                 .route("node1", "172.16.1.0/24", "10.0.0.20")
 *                 .route("node2", "172.16.0.0/24", "10.0.0.10")
 *                 .build();
 *     }
 * }
 *
 * @NetnsLab(topology = TwoNodes.class)
 * class RoutingTest {
 *     @Test
 *     void containersReachEachOther(@Netns("c1") Namespace c1) {
 *         assertThat(c1).canPing("172.16.1.2");
 *     }
 * }
 * }</pre>
 *
 * <p>Implementations need a public or package-visible no-argument constructor, and {@code define()}
 * must not touch the system: it only describes the lab.
 */
@FunctionalInterface
public interface LabTopology {

    /** The lab to build. Called once per build; may throw {@link dev.netnslab.InvalidLabSpecException}. */
    LabSpec define();
}
