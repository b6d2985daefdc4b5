package dev.netnslab.junit;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.netnslab.Capture;
import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.testing.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

@Tag("kernel")
@DisplayName("On failure: the lab's state is attached, and keepOnFailure keeps the lab")
class LabFailureReporterTest {

    /** System names of the namespaces the fixtures saw, to check teardown from outside. */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    static final List<Path> CAPTURES = new CopyOnWriteArrayList<>();

    @AfterEach
    void deleteKeptLabs() throws Exception {
        // Fixtures with keepOnFailure leave their namespaces behind on purpose; remove them here.
        Kernel.deleteNamespaces(
                SEEN.stream().filter(Kernel.namespaces()::contains).toArray(String[]::new));
        SEEN.clear();
        CAPTURES.clear();
    }

    @Nested
    @DisplayName("a failing test with a method-level lab")
    class MethodLab {

        @Test
        @DisplayName("keeps its own failure and gets the state of every namespace as a suppressed exception")
        void suppressedReport() throws Exception {
            Throwable failure = onlyFailure(run(BrokenLinkTestCase.class, Map.of()));

            assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("to reach <10.200.1.254>");
            assertThat(failure.getSuppressed()).hasSize(1);
            String report = failure.getSuppressed()[0].getMessage();
            assertThat(report)
                    .contains(
                            "== namespace host (host-nl",
                            "== namespace netns1 (netns1-nl",
                            "links:",
                            "veth2",
                            "DOWN",
                            "rx ",
                            "addresses:",
                            "10.200.1.1/24",
                            "10.200.1.254/24",
                            "routes:\n  (none)",
                            "neighbours:",
                            "firewall:",
                            "iptables-save",
                            "nft list ruleset",
                            "diagram (Mermaid):",
                            "flowchart LR",
                            "diagram (SVG): ");
            assertThat(failure.getSuppressed()[0].toString()).startsWith("netns-lab diagnostics:");
        }

        @Test
        @DisplayName("publishes the report, the SVG's path, and tears the lab down")
        void reportEntryAndTeardown() throws Exception {
            EngineExecutionResults results = run(BrokenLinkTestCase.class, Map.of());
            List<Map<String, String>> entries = reportEntries(results);
            assertThat(entries).hasSize(1);
            Map<String, String> entry = entries.get(0);
            String labKey = entry.keySet().stream()
                    .filter(k -> k.startsWith("netnslab.lab."))
                    .findFirst()
                    .orElseThrow();
            assertThat(entry.get(labKey)).contains("10.200.1.1/24");
            String svg = entry.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("netnslab.diagram."))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow();
            assertThat(Path.of(svg)).exists().content().contains("<svg", "veth2");

            assertThat(SEEN).hasSize(2);
            assertThat(Kernel.namespaces()).doesNotContainAnyElementsOf(SEEN);
        }

        @Test
        @DisplayName("lists the lab's packet captures")
        void listsCaptures() throws Exception {
            Throwable failure = onlyFailure(run(CaptureThenFailTestCase.class, Map.of()));
            assertThat(CAPTURES).hasSize(1);
            assertThat(failure.getSuppressed()[0].getMessage())
                    .contains("packet captures:", CAPTURES.get(0).toString());
            assertThat(CAPTURES.get(0)).exists();
        }
    }

    @Test
    @DisplayName("a failing test on a class-level lab gets the class lab's state")
    void classLab() throws Exception {
        EngineExecutionResults results = run(ClassLabTestCase.class, Map.of());
        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        Throwable failure = onlyFailure(results);
        assertThat(failure.getSuppressed()).hasSize(1);
        assertThat(failure.getSuppressed()[0].getMessage()).contains("10.200.7.1/24", "neighbours:");
        assertThat(Kernel.namespaces()).doesNotContainAnyElementsOf(SEEN);
    }

    @Nested
    @DisplayName("one report per lab")
    class OnePerLab {

        @Test
        @DisplayName("a method lab in a class with a class lab: two reports, the method's lab first")
        void nearestFirst() throws Exception {
            Throwable failure = onlyFailure(run(ClassAndMethodLabTestCase.class, Map.of()));
            assertThat(failure.getSuppressed()).hasSize(2).allMatch(LabDiagnostics.class::isInstance);
            assertThat(failure.getSuppressed()[0].getMessage())
                    .contains("== namespace inner (")
                    .doesNotContain("== namespace outer (");
            assertThat(failure.getSuppressed()[1].getMessage())
                    .contains("== namespace outer (")
                    .doesNotContain("== namespace inner (");
        }

        @Test
        @DisplayName("a shared lab that both the class and the method name: one report")
        void sharedNamedTwice() throws Exception {
            Throwable failure = onlyFailure(run(SharedTwiceTestCase.class, Map.of()));
            assertThat(failure.getSuppressed()).hasSize(1);
            assertThat(failure.getSuppressed()[0].getMessage()).contains("== namespace twice (");
        }

        @Test
        @DisplayName("two registrations that serve the same lab: one report")
        void twoRegistrations() throws Exception {
            Throwable failure = onlyFailure(run(TwoRegistrationsTestCase.class, Map.of()));
            assertThat(failure.getSuppressed()).hasSize(1);
            assertThat(failure.getSuppressed()[0].getMessage()).contains("== namespace both (");
        }
    }

    @Test
    @DisplayName("a failing @BeforeEach method gets the report of the class lab it ran against")
    void lifecycleMethodFailure() throws Exception {
        Throwable failure = onlyFailure(run(FailingBeforeEachTestCase.class, Map.of()));
        assertThat(failure).hasMessage("setup broke");
        assertThat(failure.getSuppressed()).hasSize(1);
        assertThat(failure.getSuppressed()[0].getMessage()).contains("10.200.8.1/24", "== namespace lifecycle (");
    }

    @Test
    @DisplayName("a passing test gets no report")
    void passingTest() throws Exception {
        EngineExecutionResults results = run(PassingTestCase.class, Map.of());
        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(reportEntries(results)).isEmpty();
    }

    @Test
    @DisplayName("an aborted test (a failed assumption) gets no report")
    void abortedTest() throws Exception {
        EngineExecutionResults results = run(AbortedTestCase.class, Map.of());
        results.testEvents().assertStatistics(stats -> stats.aborted(1));
        assertThat(reportEntries(results)).isEmpty();
    }

    @Test
    @DisplayName("netnslab.diagnostics=false attaches nothing")
    void diagnosticsOff() throws Exception {
        Throwable failure = onlyFailure(run(BrokenLinkTestCase.class, Map.of("netnslab.diagnostics", "false")));
        assertThat(failure.getSuppressed()).isEmpty();
    }

    @Test
    @DisplayName("~/.netnslab.properties reaches the extension: netnslab.diagnostics=false there attaches nothing")
    void userFile(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        Files.writeString(home.resolve(".netnslab.properties"), "netnslab.diagnostics=false\n");
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            assertThat(onlyFailure(run(BrokenLinkTestCase.class, Map.of())).getSuppressed())
                    .isEmpty();
        } finally {
            System.setProperty("user.home", before);
        }
        // and a configuration parameter still wins over the file
        assertThat(onlyFailure(run(BrokenLinkTestCase.class, Map.of("netnslab.diagnostics", "true")))
                        .getSuppressed())
                .hasSize(1);
    }

    @Nested
    @DisplayName("with netnslab.keepOnFailure=true")
    class KeepOnFailure {

        @Test
        @DisplayName("the failed test's lab stays, with the commands to enter and delete it")
        void keepsFailedLab() throws Exception {
            Throwable failure = onlyFailure(run(BrokenLinkTestCase.class, Map.of("netnslab.keepOnFailure", "true")));

            assertThat(SEEN).hasSize(2);
            assertThat(Kernel.namespaces()).containsAll(SEEN);
            String report = failure.getSuppressed()[0].getMessage();
            for (String name : SEEN) {
                assertThat(report).contains("ip netns exec " + name + " bash", "ip netns del " + name);
            }
        }

        @Test
        @DisplayName("a passing test's lab is still torn down")
        void passingLabGoes() throws Exception {
            run(PassingTestCase.class, Map.of("netnslab.keepOnFailure", "true"))
                    .testEvents()
                    .assertStatistics(stats -> stats.succeeded(1));
            assertThat(SEEN).isNotEmpty();
            assertThat(Kernel.namespaces()).doesNotContainAnyElementsOf(SEEN);
        }

        @Test
        @DisplayName("a class-level lab stays for the class' later tests and after them")
        void keepsClassLab() throws Exception {
            EngineExecutionResults results = run(ClassLabTestCase.class, Map.of("netnslab.keepOnFailure", "true"));
            results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
            assertThat(SEEN.stream().distinct().count())
                    .as("one lab served both tests")
                    .isEqualTo(2);
            assertThat(Kernel.namespaces()).containsAll(SEEN);
        }
    }

    // ---- fixtures, run only through the test kit ----

    static void remember(Lab lab) {
        SEEN.add(lab.host().systemName());
        lab.namespaces().forEach(ns -> SEEN.add(ns.systemName()));
    }

    @NetnsLab(ns = "netns1", ip = "10.200.1.1")
    static class BrokenLinkTestCase {
        @Test
        void fails(Lab lab, Namespace ns) {
            remember(lab);
            ns.exec("ip", "link", "set", "veth2", "down");
            assertThat(ns).canPing("10.200.1.254");
        }
    }

    @NetnsLab(ns = "netns1", ip = "10.200.1.1")
    static class CaptureThenFailTestCase {
        @Test
        void fails(Lab lab, Namespace ns) {
            remember(lab);
            Capture capture = ns.capture("veth2");
            CAPTURES.add(capture.path());
            throw new AssertionError("deliberate");
        }
    }

    @NetnsLab(ns = "classns", ip = "10.200.7.1")
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class ClassLabTestCase {
        @Test
        void a_fails(Lab lab) {
            remember(lab);
            throw new AssertionError("deliberate");
        }

        @Test
        void b_passes(Lab lab, Namespace ns) {
            remember(lab);
            assertThat(ns).hasAddress("10.200.7.1/24");
        }
    }

    @NetnsLab(ns = "lifecycle", ip = "10.200.8.1")
    static class FailingBeforeEachTestCase {
        @org.junit.jupiter.api.BeforeEach
        void setUp(Lab lab) {
            remember(lab);
            throw new IllegalStateException("setup broke");
        }

        @Test
        void neverRuns() {}
    }

    @NetnsLab(ns = "outer", ip = "10.200.9.1")
    static class ClassAndMethodLabTestCase {
        @Test
        @NetnsLab(ns = "inner", ip = "10.200.10.1")
        void fails(Lab lab) {
            remember(lab);
            throw new AssertionError("deliberate");
        }
    }

    @NetnsLab(ns = "twice", ip = "10.200.11.1", shared = true)
    static class SharedTwiceTestCase {
        @Test
        @NetnsLab(ns = "twice", ip = "10.200.11.1", shared = true)
        void fails(Lab lab) {
            remember(lab);
            throw new AssertionError("deliberate");
        }
    }

    @NetnsLab(ns = "both", ip = "10.200.12.1")
    static class TwoRegistrationsTestCase {
        @org.junit.jupiter.api.extension.RegisterExtension
        static NetnsLabExtension again = new NetnsLabExtension();

        @Test
        void fails() {
            remember(again.lab());
            throw new AssertionError("deliberate");
        }
    }

    static class PassingTestCase {
        @Test
        @NetnsLab
        void passes(Lab lab, Namespace ns) {
            remember(lab);
            assertThat(ns).canPing("10.200.1.254");
        }
    }

    static class AbortedTestCase {
        @Test
        @NetnsLab
        void aborted(Lab lab) {
            remember(lab);
            Assumptions.assumeTrue(false, "not today");
        }
    }

    // ---- helpers ----

    static EngineExecutionResults run(Class<?> testCase, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(configuration)
                .selectors(selectClass(testCase))
                .execute();
    }

    static Throwable onlyFailure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertThat(failed).hasSize(1);
        return failed.get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
    }

    static List<Map<String, String>> reportEntries(EngineExecutionResults results) {
        return results.allEvents().stream()
                .filter(e -> e.getType() == EventType.REPORTING_ENTRY_PUBLISHED)
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .collect(Collectors.toList());
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
