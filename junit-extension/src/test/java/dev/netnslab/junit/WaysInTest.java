package dev.netnslab.junit;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.testing.KernelSnapshot;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The three ways in: {@code @NetnsLab}, {@code @ExtendWith(NetnsLabExtension.class)} alone, and
 * {@code @RegisterExtension} fields built with {@link NetnsLabExtension#of}. Each must build, inject
 * and tear down alike.
 */
@Tag("kernel")
@DisplayName("every JUnit way in")
class WaysInTest {

    /** Lab ids per test of the fixtures, in the order they ran. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    static final List<Lab> LABS = new CopyOnWriteArrayList<>();

    private KernelSnapshot before;

    @BeforeEach
    void snapshot() {
        SEEN.clear();
        LABS.clear();
        before = KernelSnapshot.take();
    }

    @AfterEach
    void nothingLeftBehind() {
        assertThat(LABS)
                .allSatisfy(lab ->
                        assertThat(lab.isClosed()).as("lab %s closed", lab.id()).isTrue());
        KernelSnapshot.take().assertUnchangedSince(before);
    }

    private static EngineExecutionResults run(Class<?> testCase) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .execute();
    }

    @Nested
    @DisplayName("@ExtendWith(NetnsLabExtension.class)")
    class ExtendWithWay {

        @Test
        @DisplayName("alone, it builds @NetnsLab's default lab for the class and injects it")
        void defaults() {
            run(ExtendWithDefaultsTestCase.class)
                    .testEvents()
                    .assertStatistics(s -> s.started(2).succeeded(2));
            assertThat(SEEN.get("a")).isEqualTo(SEEN.get("b"));
        }

        @Test
        @DisplayName("next to @NetnsLab, it reads the annotation")
        void withAnnotation() {
            run(ExtendWithAnnotationTestCase.class)
                    .testEvents()
                    .assertStatistics(s -> s.started(1).succeeded(1));
        }
    }

    @Nested
    @DisplayName("@RegisterExtension NetnsLabExtension.of(...)")
    class RegisterExtensionWay {

        @Test
        @DisplayName("a static field gives one lab for the class, built from a LabSpec computed in code")
        void staticField() {
            run(StaticFieldTestCase.class)
                    .testEvents()
                    .assertStatistics(s -> s.started(2).succeeded(2));
            assertThat(SEEN.get("a")).isNotNull().isEqualTo(SEEN.get("b"));
        }

        @Test
        @DisplayName("an instance field gives each test a lab of its own")
        void instanceField() {
            run(InstanceFieldTestCase.class)
                    .testEvents()
                    .assertStatistics(s -> s.started(2).succeeded(2));
            assertThat(SEEN.get("a")).isNotNull().isNotEqualTo(SEEN.get("b"));
        }

        @Test
        @DisplayName("of(topology class) builds what the class defines")
        void topologyClass() {
            run(TopologyFieldTestCase.class)
                    .testEvents()
                    .assertStatistics(s -> s.started(1).succeeded(1));
        }

        @Test
        @DisplayName("a failing test gets the lab's state attached, as with @NetnsLab")
        void failureReport() {
            run(FailingStaticFieldTestCase.class)
                    .testEvents()
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test(),
                                    finishedWithFailure(message(
                                            m -> m.contains("Expecting namespace <web> to reach <10.77.0.99>")))));
            assertThat(SEEN).containsKey("failing");
        }

        @Test
        @DisplayName("of(null) is refused with what to pass instead")
        void nullSpec() {
            assertThatThrownBy(() -> NetnsLabExtension.of((LabSpec) null)).hasMessageContaining("LabSpec.builder()");
        }

        @Test
        @DisplayName("lab() before the lab exists says when it works")
        void labBeforeStart() {
            NetnsLabExtension extension = NetnsLabExtension.of(LabSpec.singleNamespace("netns1", "10.200.1.1", null));
            assertThatThrownBy(extension::lab)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside tests");
        }
    }

    @ExtendWith(NetnsLabExtension.class)
    static class ExtendWithDefaultsTestCase {
        @Test
        void a(Lab lab, Namespace ns) {
            LABS.add(lab);
            SEEN.put("a", lab.id());
            assertThat(ns.name()).isEqualTo("netns1");
            assertThat(lab.host()).canPing("10.200.1.1");
            assertThat(ns).canPing("10.200.1.254");
        }

        @Test
        void b(Lab lab) {
            SEEN.put("b", lab.id());
        }
    }

    @ExtendWith(NetnsLabExtension.class)
    @NetnsLab(ns = "app", ip = "10.31.0.2/24")
    static class ExtendWithAnnotationTestCase {
        @Test
        void reach(Lab lab, Namespace app) {
            LABS.add(lab);
            assertThat(app.name()).isEqualTo("app");
            assertThat(app).canPing("10.31.0.254");
        }
    }

    static class StaticFieldTestCase {
        /** A lab computed at run time, as a user would from a parameter or a file. */
        @RegisterExtension
        static NetnsLabExtension lab =
                NetnsLabExtension.of(LabSpec.singleNamespace("web", "10.77.0." + (2 + 3) + "/24", null));

        static Lab injected;

        @org.junit.jupiter.api.BeforeAll
        static void remember(Lab running) {
            injected = running;
        }

        @Test
        void a(Namespace web) {
            LABS.add(lab.lab());
            SEEN.put("a", lab.lab().id());
            assertThat(injected).isSameAs(lab.lab());
            assertThat(web.address()).isEqualTo("10.77.0.5");
            assertThat(lab.lab().host()).canPing("10.77.0.5");
            assertThat(web).canPing(lab.lab().host().address());
        }

        @Test
        void b(Lab running) {
            SEEN.put("b", running.id());
            assertThat(running).isSameAs(lab.lab());
        }
    }

    static class InstanceFieldTestCase {
        @RegisterExtension
        NetnsLabExtension lab = NetnsLabExtension.of(LabSpec.singleNamespace("netns1", "10.200.1.1", null));

        Namespace ns;

        @Test
        void a() {
            LABS.add(lab.lab());
            SEEN.put("a", lab.lab().id());
            assertThat(ns).isSameAs(lab.lab().namespace("netns1"));
            assertThat(ns).canPing("10.200.1.254");
        }

        @Test
        void b(Lab running) {
            LABS.add(running);
            SEEN.put("b", running.id());
            assertThat(running).isSameAs(lab.lab());
        }
    }

    public static class Pair implements LabTopology {
        @Override
        public LabSpec define() {
            return LabSpec.builder()
                    .namespace("a")
                    .namespace("b")
                    .veth("a:to-b", "b:to-a")
                    .address("a", "to-b", "10.88.0.1/30")
                    .address("b", "to-a", "10.88.0.2/30")
                    .build();
        }
    }

    static class TopologyFieldTestCase {
        @RegisterExtension
        static NetnsLabExtension lab = NetnsLabExtension.of(Pair.class);

        @Test
        void reach(@Netns("a") Namespace a, @Netns("b") Namespace b) {
            LABS.add(lab.lab());
            assertThat(a).canPing("10.88.0.2");
            assertThat(b).canPing("10.88.0.1");
        }
    }

    static class FailingStaticFieldTestCase {
        @RegisterExtension
        static NetnsLabExtension lab = NetnsLabExtension.of(LabSpec.singleNamespace("web", "10.77.0.2/24", null));

        @Test
        void unreachable(Namespace web) {
            LABS.add(lab.lab());
            SEEN.put("failing", lab.lab().id());
            assertThat(web).canPing("10.77.0.99");
        }
    }
}
