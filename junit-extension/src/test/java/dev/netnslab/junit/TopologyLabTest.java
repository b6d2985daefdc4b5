package dev.netnslab.junit;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.testing.Kernel;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * {@code @NetnsLab(topology = ...)} through the test kit: multi-namespace labs, {@code @Netns}
 * injection, shared labs built once per run and removed at its end, and misuse reported clearly.
 */
@DisplayName("@NetnsLab with a topology")
class TopologyLabTest {

    /** Every lab a fixture saw: its id and its namespaces' system names. */
    static final Queue<Lab> SEEN = new ConcurrentLinkedQueue<>();

    static final AtomicInteger BUILDS = new AtomicInteger();

    @BeforeEach
    void reset() {
        SEEN.clear();
        BUILDS.set(0);
    }

    /** Two namespaces on a bridge in the host; counts how often it is defined. */
    public static class Pair implements LabTopology {
        @Override
        public LabSpec define() {
            BUILDS.incrementAndGet();
            return LabSpec.builder()
                    .bridge("host", "br0", "172.16.9.1/24")
                    .container("left", "host:br0", "172.16.9.2/24")
                    .container("right", "host:br0", "172.16.9.3/24")
                    .build();
        }
    }

    /** The test events of running {@code classes} in one engine run. */
    private static Events run(Class<?>... classes) {
        return execute(classes).testEvents();
    }

    /**
     * All events, containers included (a class-level lab fails its class, not its tests), of a run
     * in which any attempt to build a lab fails at the backend, root or not: a fixture that fails
     * with its own message instead was refused before anything was created.
     */
    private static Events runAll(Class<?> testCase) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .configurationParameter("netnslab.local.ip", "/nonexistent/ip")
                .execute()
                .allEvents();
    }

    private static org.junit.platform.testkit.engine.EngineExecutionResults execute(Class<?>... classes) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(java.util.Arrays.stream(classes)
                        .map(c -> selectClass(c))
                        .toArray(org.junit.platform.engine.DiscoverySelector[]::new))
                .execute();
    }

    private static void assertRemoved(Iterable<Lab> labs) {
        for (Lab lab : labs) {
            assertThat(lab.isClosed()).as("lab %s closed", lab.id()).isTrue();
            assertThat(Kernel.namespacesOf(List.of(lab.id())))
                    .as("lab %s's namespaces after the run", lab.id())
                    .isEmpty();
        }
    }

    @Tag("kernel")
    @Nested
    @DisplayName("sharing")
    class Sharing {

        @Test
        @DisplayName("two test classes asking for a shared topology get ONE build, removed when the run ends")
        void sharedAcrossClasses() {
            Events events = run(SharedFirstTestCase.class, SharedSecondTestCase.class);

            events.assertStatistics(stats -> stats.started(3).succeeded(3));
            assertThat(BUILDS).hasValue(1);
            assertThat(SEEN).hasSize(3);
            assertThat(SEEN.stream().map(Lab::id).distinct()).hasSize(1);
            assertRemoved(SEEN);
        }

        @Test
        @DisplayName("without shared, each class builds its own lab")
        void notSharedByDefault() {
            Events events = run(OwnFirstTestCase.class, OwnSecondTestCase.class);

            events.assertStatistics(stats -> stats.started(2).succeeded(2));
            assertThat(BUILDS).hasValue(2);
            assertThat(SEEN.stream().map(Lab::id).distinct()).hasSize(2);
            assertRemoved(SEEN);
        }
    }

    @Tag("kernel")
    @Nested
    @DisplayName("injection")
    class Injection {

        @Test
        @DisplayName("@Netns picks namespaces for fields and parameters of a multi-namespace lab")
        void netnsInjection() {
            run(InjectionTestCase.class)
                    .assertStatistics(stats -> stats.started(1).succeeded(1));
            assertRemoved(SEEN);
        }

        @Test
        @DisplayName("a plain Namespace parameter in a multi-namespace lab says which names to pick from")
        void ambiguousNamespace() {
            run(AmbiguousTestCase.class)
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(finishedWithFailure(message(m -> m.contains("the lab has 2 namespaces [left, right]")
                                    && m.contains("@Netns(\"name\")")))));
        }
    }

    @Nested
    @DisplayName("misuse")
    class Misuse {

        @Test
        @DisplayName("topology together with ns or ip is refused")
        void topologyAndSeedAttributes() {
            runAll(BothTestCase.class)
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(finishedWithFailure(
                                    instanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class),
                                    message(m ->
                                            m.contains("sets topology = Pair.class together with ns, ip or hostIp")))));
            assertThat(BUILDS).hasValue(0);
        }

        @Test
        @DisplayName("an invalid topology fails before anything is created, naming element, value and rule")
        void invalidTopology() {
            runAll(InvalidTestCase.class)
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(finishedWithFailure(
                                    instanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class),
                                    message(m -> m.contains("Broken.class")
                                            && m.contains("nothing was created")
                                            && m.contains("bridge port broken:v2 'br0'")
                                            && m.contains("bridge br0 is in namespace host")))));
        }
    }

    @Nested
    @DisplayName("topology classes that cannot be used")
    class BadTopologyClasses {

        @Test
        @DisplayName("no no-argument constructor")
        void noDefaultConstructor() {
            runAll(NoConstructorTestCase.class)
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(finishedWithFailure(
                                    instanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class),
                                    message(m -> m.contains("NeedsArgument.class")
                                            && m.contains("needs a no-argument constructor")))));
        }

        @Test
        @DisplayName("define() returns null")
        void definesNothing() {
            runAll(NullTestCase.class)
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(finishedWithFailure(message(m -> m.contains("ReturnsNull.define() returned null")
                                    && m.contains("return the LabSpec to build")))));
        }
    }

    // ---- fixtures, run only through the test kit ----

    static class NeedsArgument implements LabTopology {
        NeedsArgument(String unused) {}

        @Override
        public LabSpec define() {
            return LabSpec.singleNamespace("x", "10.1.1.1", null);
        }
    }

    static class ReturnsNull implements LabTopology {
        @Override
        public LabSpec define() {
            return null;
        }
    }

    @NetnsLab(topology = NeedsArgument.class)
    static class NoConstructorTestCase {
        @Test
        void never() {}
    }

    @NetnsLab(topology = ReturnsNull.class)
    static class NullTestCase {
        @Test
        void never() {}
    }

    static class Broken implements LabTopology {
        @Override
        public LabSpec define() {
            return LabSpec.builder()
                    .bridge("host", "br0")
                    .namespace("broken")
                    .veth("host:v1", "broken:v2")
                    .master("broken", "v2", "br0")
                    .build();
        }
    }

    @NetnsLab(topology = Pair.class, shared = true)
    static class SharedFirstTestCase {
        @Test
        void one(Lab lab, @Netns("left") Namespace left) {
            SEEN.add(lab);
            assertThat(left).canPing("172.16.9.3");
        }

        @Test
        void two(Lab lab) {
            SEEN.add(lab);
        }
    }

    @NetnsLab(topology = Pair.class, shared = true)
    static class SharedSecondTestCase {
        @Test
        void three(Lab lab, @Netns("right") Namespace right) {
            SEEN.add(lab);
            assertThat(right).canPing("172.16.9.2");
        }
    }

    @NetnsLab(topology = Pair.class)
    static class OwnFirstTestCase {
        @Test
        void one(Lab lab) {
            SEEN.add(lab);
        }
    }

    @NetnsLab(topology = Pair.class)
    static class OwnSecondTestCase {
        @Test
        void one(Lab lab) {
            SEEN.add(lab);
        }
    }

    @NetnsLab(topology = Pair.class)
    static class InjectionTestCase {
        @Netns("left")
        Namespace left;

        @Test
        void injected(Lab lab, @Netns("right") Namespace right, @Netns("host") Namespace host) {
            SEEN.add(lab);
            assertThat(left.name()).isEqualTo("left");
            assertThat(right.name()).isEqualTo("right");
            assertThat(host).isSameAs(lab.host());
            assertThat(left).canPing("172.16.9.3");
        }
    }

    @NetnsLab(topology = Pair.class)
    static class AmbiguousTestCase {
        @Test
        void which(Namespace ns) {}
    }

    @NetnsLab(topology = Pair.class, ns = "other")
    static class BothTestCase {
        @Test
        void never() {}
    }

    @NetnsLab(topology = Broken.class)
    static class InvalidTestCase {
        @Test
        void never() {}
    }
}
