package dev.netnslab.junit;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.testing.KernelSnapshot;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

@DisplayName("@NetnsLab through the JUnit engine")
class NetnsLabExtensionTest {

    /** Lab ids and system names seen by the fixture classes, to check scope and cleanup from outside. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    /**
     * Configuration under which any attempt to build a lab fails at the backend, root or not. A
     * fixture that fails with the bad value's message instead was refused before anything was created.
     */
    private static final Map<String, String> NO_KERNEL = Map.of("netnslab.local.ip", "/nonexistent/ip");

    private KernelSnapshot before;

    /** Only tests on the kernel can leave something there; the others must run without root or ip. */
    @BeforeEach
    void snapshot(TestInfo test) {
        SEEN.clear();
        before = test.getTags().contains("kernel") ? KernelSnapshot.take() : null;
    }

    @AfterEach
    void nothingLeftBehind() {
        if (before != null) {
            KernelSnapshot.take().assertUnchangedSince(before);
        }
    }

    private static EngineExecutionResults run(Class<?> testCase, Map<String, String> config) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .configurationParameters(config)
                .execute();
    }

    private static EngineExecutionResults run(Class<?> testCase) {
        return run(testCase, Map.of());
    }

    @Tag("kernel")
    @Nested
    @DisplayName("lifecycle")
    class Lifecycle {

        @Test
        @DisplayName("a class-level lab serves every test of the class and is gone afterwards")
        void classLevelLabIsShared() {
            run(ClassLevelTestCase.class)
                    .testEvents()
                    .assertStatistics(s -> s.started(2).succeeded(2));
            assertThat(SEEN).containsKeys("first", "second");
            assertThat(SEEN.get("first")).isEqualTo(SEEN.get("second"));
            assertThat(KernelSnapshot.take().namespaces()).noneMatch(n -> n.endsWith(SEEN.get("first")));
        }

        @Test
        @DisplayName("a method-level lab is fresh for each method: what one changes the next never sees")
        void methodLevelLabsAreIsolated() {
            run(MethodLevelTestCase.class)
                    .testEvents()
                    .assertStatistics(s -> s.started(2).succeeded(2));
            assertThat(SEEN.get("first")).isNotEqualTo(SEEN.get("second"));
        }

        @Test
        @DisplayName("fields and parameters of type Lab and Namespace are injected, @Netns picks the namespace")
        void injection() {
            run(InjectionTestCase.class)
                    .testEvents()
                    .assertStatistics(s -> s.started(1).succeeded(1));
        }

        @Test
        @DisplayName("8 identical labs run in parallel")
        void parallel() {
            run(
                            ParallelTestCase.class,
                            Map.of(
                                    "junit.jupiter.execution.parallel.enabled", "true",
                                    "junit.jupiter.execution.parallel.mode.default", "concurrent",
                                    "junit.jupiter.execution.parallel.config.strategy", "fixed",
                                    "junit.jupiter.execution.parallel.config.fixed.parallelism", "8"))
                    .testEvents()
                    .assertStatistics(s -> s.started(8).succeeded(8));
            assertThat(Set.copyOf(SEEN.values())).hasSize(8);
        }
    }

    @Nested
    @DisplayName("misuse and bad values")
    class Misuse {

        @Test
        @DisplayName("an invalid ip fails with the attribute and the value, and creates nothing")
        void invalidIp() {
            run(InvalidIpTestCase.class, NO_KERNEL)
                    .testEvents()
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test(),
                                    finishedWithFailure(
                                            instanceOf(ExtensionConfigurationException.class),
                                            message(m -> m.contains("@NetnsLab on")
                                                    && m.contains("ip '10.200.1.300' is invalid")))));
        }

        @Test
        @DisplayName("a shell-like ns fails and creates nothing")
        void invalidNamespace() {
            run(InvalidNamespaceTestCase.class, NO_KERNEL)
                    .testEvents()
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test(),
                                    finishedWithFailure(message(m ->
                                            m.contains("ns 'ns;reboot' is invalid") && m.contains("[A-Za-z0-9_.-]")))));
        }

        @Test
        @DisplayName("a hostIp outside the subnet fails and creates nothing")
        void hostIpOutsideSubnet() {
            run(HostIpOutsideTestCase.class, NO_KERNEL)
                    .testEvents()
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test(),
                                    finishedWithFailure(message(m -> m.contains("hostIp '10.9.9.9' is invalid")
                                            && m.contains("inside ip's subnet 10.200.1.0/24")))));
        }

        @Tag("kernel")
        @Test
        @DisplayName("a Namespace parameter without @Netns on a lab without that name says which exist")
        void unknownNetns() {
            run(UnknownNetnsTestCase.class)
                    .testEvents()
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test(),
                                    finishedWithFailure(
                                            instanceOf(ParameterResolutionException.class),
                                            message(
                                                    m -> m.contains(
                                                            "@Netns(\"nope\") names no namespace of the lab; it has [netns1]")))));
        }

        @Test
        @DisplayName("an unknown backend lists the allowed ones")
        void unknownBackend() {
            run(MethodLevelTestCase.class, Map.of("netnslab.backend", "vmware"))
                    .testEvents()
                    .assertThatEvents()
                    .haveAtLeast(
                            1,
                            event(
                                    test(),
                                    finishedWithFailure(message(m ->
                                            m.contains("netnslab.backend must be one of") && m.contains("'vmware'")))));
        }
    }

    @Nested
    @DisplayName("no usable kernel")
    class Unavailable {

        @Tag("kernel")
        @Test
        @DisplayName("fails by default, saying what is missing and how to fix it")
        void failsClearly() {
            run(MethodLevelTestCase.class, Map.of("netnslab.local.ip", "/nonexistent/ip"))
                    .testEvents()
                    .assertStatistics(s -> s.failed(2).aborted(0))
                    .assertThatEvents()
                    .haveExactly(
                            2,
                            event(
                                    test(),
                                    finishedWithFailure(message(m -> m.contains("needs iproute2's ip")
                                            && m.contains("apt-get install -y iproute2")))));
        }

        @Test
        @DisplayName("skips instead when netnslab.skipWhenUnavailable=true")
        void skipsWhenAskedTo() {
            Events events = run(
                            MethodLevelTestCase.class,
                            Map.of("netnslab.local.ip", "/nonexistent/ip", "netnslab.skipWhenUnavailable", "true"))
                    .testEvents();
            events.assertStatistics(s -> s.failed(0).aborted(2));
        }
    }

    // ---- fixture classes, run only through the EngineTestKit ----

    @NetnsLab
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ClassLevelTestCase {
        @Test
        @Order(1)
        void first(Lab lab, Namespace ns) {
            SEEN.put("first", lab.id());
            assertThat(lab.host()).canPing("10.200.1.1");
            assertThat(ns.exec("ip", "addr", "add", "10.200.1.77/24", "dev", "veth2"))
                    .succeeded();
        }

        @Test
        @Order(2)
        void second(Lab lab, Namespace ns) {
            SEEN.put("second", lab.id());
            assertThat(ns).hasAddress("10.200.1.77");
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class MethodLevelTestCase {
        @Test
        @Order(1)
        @NetnsLab(ns = "n", ip = "10.1.0.1/16")
        void first(Lab lab, Namespace ns) {
            SEEN.put("first", lab.id());
            assertThat(lab.host().address()).isEqualTo("10.1.255.254");
            assertThat(ns.exec("ip", "addr", "add", "10.1.0.77/16", "dev", "veth2"))
                    .succeeded();
        }

        @Test
        @Order(2)
        @NetnsLab(ns = "n", ip = "10.1.0.1/16")
        void second(Lab lab, Namespace ns) {
            SEEN.put("second", lab.id());
            assertThat(ns).hasNoAddress("10.1.0.77").canPing("10.1.255.254");
        }
    }

    @NetnsLab(ns = "blue", ip = "192.168.50.2", hostIp = "192.168.50.1")
    static class InjectionTestCase {
        static Lab staticLab;
        Lab lab;
        Namespace ns;

        @Netns("host")
        Namespace host;

        @Test
        void everythingInjected(
                Lab parameterLab, @Netns("blue") Namespace blue, @Netns("host") Namespace hostParameter) {
            assertThat(staticLab).isSameAs(lab).isSameAs(parameterLab);
            assertThat(ns).isSameAs(blue);
            assertThat(ns.name()).isEqualTo("blue");
            assertThat(host).isSameAs(hostParameter).isSameAs(lab.host());
            assertThat(host.address()).isEqualTo("192.168.50.1");
            assertThat(host).canPing("192.168.50.2");
        }
    }

    static class ParallelTestCase {
        private static void check(String key, Lab lab, Namespace ns) {
            SEEN.put(key, lab.id());
            assertThat(lab.host()).canPing("10.200.1.1");
            assertThat(ns).canPing("10.200.1.254");
        }

        @Test
        @NetnsLab
        void a(Lab lab, Namespace ns) {
            check("a", lab, ns);
        }

        @Test
        @NetnsLab
        void b(Lab lab, Namespace ns) {
            check("b", lab, ns);
        }

        @Test
        @NetnsLab
        void c(Lab lab, Namespace ns) {
            check("c", lab, ns);
        }

        @Test
        @NetnsLab
        void d(Lab lab, Namespace ns) {
            check("d", lab, ns);
        }

        @Test
        @NetnsLab
        void e(Lab lab, Namespace ns) {
            check("e", lab, ns);
        }

        @Test
        @NetnsLab
        void f(Lab lab, Namespace ns) {
            check("f", lab, ns);
        }

        @Test
        @NetnsLab
        void g(Lab lab, Namespace ns) {
            check("g", lab, ns);
        }

        @Test
        @NetnsLab
        void h(Lab lab, Namespace ns) {
            check("h", lab, ns);
        }
    }

    static class InvalidIpTestCase {
        @Test
        @NetnsLab(ip = "10.200.1.300")
        void never(Lab lab) {}
    }

    static class InvalidNamespaceTestCase {
        @Test
        @NetnsLab(ns = "ns;reboot")
        void never(Lab lab) {}
    }

    static class HostIpOutsideTestCase {
        @Test
        @NetnsLab(hostIp = "10.9.9.9")
        void never(Lab lab) {}
    }

    static class UnknownNetnsTestCase {
        @Test
        @NetnsLab
        void never(@Netns("nope") Namespace ns) {}
    }
}
