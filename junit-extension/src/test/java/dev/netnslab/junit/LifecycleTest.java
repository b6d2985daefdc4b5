package dev.netnslab.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.testing.Kernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * One lifecycle for every way in. Each fixture test records what it saw of its lab: the lab's
 * namespaces' system names and whether {@code ip netns list} showed them at that moment, and
 * whether its fields and parameters got that lab. The tests then check, per way in, how many labs
 * were built (one per declaring context), that each was there while its tests ran, and that it is
 * gone from {@code ip netns list} once its context ended: a method's lab before the next test, a
 * class's after the class, a shared one after the run.
 */
@Tag("kernel")
@DisplayName("One lab per declaring context, whatever the way in")
class LifecycleTest {

    /** One fixture test's view of its lab. */
    record Sighting(String test, String labId, List<String> systemNames, Set<String> listedThen, boolean injected) {

        boolean wasListed() {
            return listedThen.containsAll(systemNames);
        }
    }

    static final List<Sighting> SEEN = new CopyOnWriteArrayList<>();

    static void saw(String test, Lab lab, boolean injected) {
        List<String> names = Stream.concat(Stream.of(lab.host()), lab.namespaces().stream())
                .map(Namespace::systemName)
                .toList();
        SEEN.add(new Sighting(test, lab.id(), names, Kernel.namespaces(), injected));
    }

    @BeforeEach
    void forget() {
        SEEN.clear();
    }

    /** Runs the fixtures in one engine run, expects every test to pass, and returns the sightings in order. */
    private static List<Sighting> run(int tests, Class<?>... fixtures) {
        EngineTestKit.engine("junit-jupiter")
                .selectors(Arrays.stream(fixtures).map(c -> selectClass(c)).toArray(DiscoverySelector[]::new))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(tests).succeeded(tests));
        List<Sighting> seen = new ArrayList<>(SEEN);
        assertThat(seen).hasSize(tests);
        assertThat(seen).allSatisfy(s -> {
            assertThat(s.wasListed())
                    .as("%s: its lab's namespaces %s in ip netns list during the test", s.test(), s.systemNames())
                    .isTrue();
            assertThat(s.injected())
                    .as("%s: fields and parameters got the test's lab", s.test())
                    .isTrue();
        });
        Set<String> after = Kernel.namespaces();
        assertThat(seen)
                .allSatisfy(s -> assertThat(after)
                        .as("ip netns list after the run")
                        .doesNotContainAnyElementsOf(s.systemNames()));
        return seen;
    }

    private static long labs(List<Sighting> seen) {
        return seen.stream().map(Sighting::labId).distinct().count();
    }

    /** The second test ran after the first one's lab was torn down. */
    private static void firstGoneBeforeSecond(List<Sighting> seen) {
        assertThat(seen.get(1).listedThen())
                .as("ip netns list during the second test")
                .doesNotContainAnyElementsOf(seen.get(0).systemNames());
    }

    @Nested
    @DisplayName("@NetnsLab")
    class Annotation {

        @Test
        @DisplayName("on a class: one lab for its tests, static and instance fields and parameters injected")
        void onClass() {
            List<Sighting> seen = run(2, ClassAnnotationTestCase.class);
            assertThat(labs(seen)).isEqualTo(1);
        }

        @Test
        @DisplayName("on methods: a lab per method, gone before the next test starts")
        void onMethod() {
            List<Sighting> seen = run(2, MethodAnnotationTestCase.class);
            assertThat(labs(seen)).isEqualTo(2);
            firstGoneBeforeSecond(seen);
        }

        @Test
        @DisplayName("on a class and on one method: the method gets its own lab, the others the class's")
        void onClassAndMethod() {
            List<Sighting> seen = run(3, ClassAndMethodTestCase.class);
            assertThat(labs(seen)).isEqualTo(2);
            assertThat(seen.get(0).labId())
                    .isEqualTo(seen.get(2).labId())
                    .isNotEqualTo(seen.get(1).labId());
            assertThat(seen.get(2).listedThen())
                    .as("the method's lab is gone before the next test")
                    .doesNotContainAnyElementsOf(seen.get(1).systemNames());
        }

        @Test
        @DisplayName("on an outer class: its @Nested class uses the outer class's lab")
        void nested() {
            List<Sighting> seen = run(2, OuterTestCase.class);
            assertThat(labs(seen)).isEqualTo(1);
        }

        @Test
        @DisplayName("shared = true: one lab for every class that shares it, there until the run ends")
        void shared() {
            List<Sighting> seen = run(3, SharedFirstTestCase.class, SharedSecondTestCase.class);
            assertThat(labs(seen)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("@ExtendWith(NetnsLabExtension.class): @NetnsLab's default lab, one for the class")
    void extendWith() {
        List<Sighting> seen = run(2, ExtendWithTestCase.class);
        assertThat(labs(seen)).isEqualTo(1);
    }

    @Nested
    @DisplayName("@RegisterExtension")
    class Registered {

        @Test
        @DisplayName("a static field: one lab for the class and its @Nested class, the same as lab()")
        void staticField() {
            List<Sighting> seen = run(3, StaticFieldTestCase.class);
            assertThat(labs(seen)).isEqualTo(1);
        }

        @Test
        @DisplayName("an instance field: a lab per test, the same as lab(), gone before the next test starts")
        void instanceField() {
            List<Sighting> seen = run(2, InstanceFieldTestCase.class);
            assertThat(labs(seen)).isEqualTo(2);
            firstGoneBeforeSecond(seen);
        }

        @Test
        @DisplayName("an instance field under @TestInstance(PER_CLASS): one instance, so one lab for the class")
        void instanceFieldPerClass() {
            List<Sighting> seen = run(2, PerClassInstanceFieldTestCase.class);
            assertThat(labs(seen)).isEqualTo(1);
        }

        @Test
        @DisplayName("new NetnsLabExtension() in a static field: @NetnsLab's defaults, one lab for the class")
        void defaultsInCode() {
            List<Sighting> seen = run(2, DefaultsInCodeTestCase.class);
            assertThat(labs(seen)).isEqualTo(1);
        }
    }

    // ---- fixtures, run only through the test kit ----

    @NetnsLab(ns = "c", ip = "10.203.1.1")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ClassAnnotationTestCase {
        static Lab classLab;
        Lab lab;
        Namespace ns;

        @Test
        @Order(1)
        void a(Lab parameter, Namespace c) {
            saw(
                    "a",
                    parameter,
                    classLab == parameter
                            && lab == parameter
                            && ns == c
                            && c.name().equals("c"));
        }

        @Test
        @Order(2)
        void b(Lab parameter, Namespace c) {
            saw("b", parameter, classLab == parameter && lab == parameter && ns == c);
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class MethodAnnotationTestCase {
        Lab lab;
        Namespace ns;

        @Test
        @Order(1)
        @NetnsLab(ns = "m", ip = "10.203.2.1")
        void a(Lab parameter, Namespace m) {
            saw("a", parameter, lab == parameter && ns == m && m.name().equals("m"));
        }

        @Test
        @Order(2)
        @NetnsLab(ns = "m", ip = "10.203.2.1")
        void b(Lab parameter, Namespace m) {
            saw("b", parameter, lab == parameter && ns == m);
        }
    }

    @NetnsLab(ns = "outer", ip = "10.203.3.1")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ClassAndMethodTestCase {
        static Lab classLab;
        Lab lab;

        @Test
        @Order(1)
        void a(Lab parameter) {
            saw("a", parameter, classLab == parameter && lab == parameter);
        }

        @Test
        @Order(2)
        @NetnsLab(ns = "inner", ip = "10.203.4.1")
        void own(Lab parameter, Namespace inner) {
            saw(
                    "own",
                    parameter,
                    lab == parameter && classLab != parameter && inner.name().equals("inner"));
        }

        @Test
        @Order(3)
        void c(Lab parameter, Namespace outer) {
            saw(
                    "c",
                    parameter,
                    classLab == parameter && lab == parameter && outer.name().equals("outer"));
        }
    }

    @NetnsLab(ns = "o", ip = "10.203.5.1")
    static class OuterTestCase {
        Lab lab;

        @Test
        void outer(Lab parameter) {
            saw("outer", parameter, lab == parameter);
        }

        @Nested
        class Inner {
            Lab innerLab;

            @Test
            void inner(Lab parameter, Namespace o) {
                saw(
                        "inner",
                        parameter,
                        innerLab == parameter && lab == parameter && o.name().equals("o"));
            }
        }
    }

    @NetnsLab(ns = "s", ip = "10.203.6.1", shared = true)
    static class SharedFirstTestCase {
        Lab lab;

        @Test
        void one(Lab parameter) {
            saw("one", parameter, lab == parameter);
        }

        @Test
        void two(Lab parameter) {
            saw("two", parameter, lab == parameter);
        }
    }

    @NetnsLab(ns = "s", ip = "10.203.6.1", shared = true)
    static class SharedSecondTestCase {
        Namespace ns;

        @Test
        void three(Lab parameter, Namespace s) {
            saw("three", parameter, ns == s && s.name().equals("s"));
        }
    }

    @ExtendWith(NetnsLabExtension.class)
    static class ExtendWithTestCase {
        static Lab classLab;
        Namespace ns;

        @Test
        void a(Lab parameter, Namespace netns1) {
            saw(
                    "a",
                    parameter,
                    classLab == parameter && ns == netns1 && netns1.name().equals("netns1"));
        }

        @Test
        void b(Lab parameter) {
            saw("b", parameter, classLab == parameter);
        }
    }

    static class StaticFieldTestCase {
        @RegisterExtension
        static NetnsLabExtension extension = NetnsLabExtension.of(LabSpec.singleNamespace("st", "10.203.7.2/24", null));

        static Lab classLab;
        Namespace ns;

        @Test
        void a(Lab parameter, Namespace st) {
            saw("a", parameter, extension.lab() == parameter && classLab == parameter && ns == st);
        }

        @Test
        void b(Lab parameter) {
            saw("b", parameter, extension.lab() == parameter);
        }

        @Nested
        class Inner {
            @Test
            void inner(Lab parameter) {
                saw("inner", parameter, extension.lab() == parameter && classLab == parameter);
            }
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class InstanceFieldTestCase {
        @RegisterExtension
        NetnsLabExtension extension = NetnsLabExtension.of(LabSpec.singleNamespace("in", "10.203.8.2/24", null));

        Lab lab;
        Namespace ns;

        @Test
        @Order(1)
        void a(Lab parameter, Namespace in) {
            saw("a", parameter, extension.lab() == parameter && lab == parameter && ns == in);
        }

        @Test
        @Order(2)
        void b(Lab parameter) {
            saw("b", parameter, extension.lab() == parameter && lab == parameter);
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassInstanceFieldTestCase {
        @RegisterExtension
        NetnsLabExtension extension = NetnsLabExtension.of(LabSpec.singleNamespace("pc", "10.203.9.2/24", null));

        Lab lab;

        @Test
        void a(Lab parameter) {
            saw("a", parameter, extension.lab() == parameter && lab == parameter);
        }

        @Test
        void b(Lab parameter) {
            saw("b", parameter, extension.lab() == parameter && lab == parameter);
        }
    }

    static class DefaultsInCodeTestCase {
        @RegisterExtension
        static NetnsLabExtension extension = new NetnsLabExtension();

        Namespace ns;

        @Test
        void a(Lab parameter) {
            saw("a", parameter, extension.lab() == parameter && ns.name().equals("netns1"));
        }

        @Test
        void b(Lab parameter) {
            saw("b", parameter, extension.lab() == parameter);
        }
    }
}
