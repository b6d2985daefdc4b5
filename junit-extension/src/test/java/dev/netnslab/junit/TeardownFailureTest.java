package dev.netnslab.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.netnslab.Lab;
import dev.netnslab.NetnsLabException;
import dev.netnslab.testing.Kernel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A test that fails, and whose lab then fails to tear down, is reported with its own failure; the
 * teardown error is attached, never in its place.
 */
@Tag("kernel")
@DisplayName("A failing teardown never hides the test's own failure")
class TeardownFailureTest {

    static volatile String labId;

    @AfterEach
    void repairTheRecordTheFixtureBroke() {
        if (labId != null) {
            Kernel.repairRecordRemoval(labId);
        }
    }

    @Test
    @DisplayName("method lab: the test fails with its own error, the teardown error suppressed in it")
    void methodLab() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(MethodLabTestCase.class))
                .execute()
                .testEvents();

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = failureOf(tests.failed());
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessage("the test's own failure");
        // Besides the teardown error, the failure carries the lab's diagnostics report (LabDiagnostics).
        List<Throwable> teardownErrors = Arrays.stream(failure.getSuppressed())
                .filter(t -> !(t instanceof LabDiagnostics))
                .toList();
        assertThat(teardownErrors)
                .as("the teardown error travels with the test's failure")
                .hasSize(1);
        assertIsTeardownError(teardownErrors.get(0));
    }

    @Test
    @DisplayName("class lab: the test fails with its own error, and the class reports the teardown error")
    void classLab() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(ClassLabTestCase.class))
                .execute();

        Throwable testFailure = failureOf(results.testEvents().failed());
        assertThat(testFailure).isInstanceOf(AssertionError.class).hasMessage("the test's own failure");
        assertIsTeardownError(failureOf(results.containerEvents().failed()));
    }

    private static Throwable failureOf(Events failed) {
        assertThat(failed.count()).isEqualTo(1);
        return failed.stream()
                .findFirst()
                .orElseThrow()
                .getPayload(TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
    }

    /** JUnit wraps what a closing store throws; the lab's own report must be inside, with its cause. */
    private static void assertIsTeardownError(Throwable reported) {
        Throwable teardown = reported instanceof NetnsLabException ? reported : reported.getCause();
        assertThat(teardown)
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("Could not fully tear down lab " + labId)
                .hasMessageContaining("Is a directory");
        assertThat(teardown.getSuppressed()).hasSize(1);
    }

    /** Breaks the last step of the lab's teardown: its record becomes a directory that {@code rm -f} refuses. */
    static void breakTeardownOf(Lab lab) {
        labId = lab.id();
        Kernel.breakRecordRemoval(lab.id());
    }

    static class MethodLabTestCase {
        @Test
        @NetnsLab
        void fails(Lab lab) {
            breakTeardownOf(lab);
            throw new AssertionError("the test's own failure");
        }
    }

    @NetnsLab
    static class ClassLabTestCase {
        @Test
        void fails(Lab lab) {
            breakTeardownOf(lab);
            throw new AssertionError("the test's own failure");
        }
    }
}
