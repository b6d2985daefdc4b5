package dev.netnslab.assertj;

import dev.netnslab.ExecResult;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on an {@link ExecResult}. Every failure shows the command, its exit code and both outputs.
 *
 * <pre>{@code
 * assertThat(ns.exec("ip", "route")).succeeded().stdoutContains("default");
 * assertThat(ns.exec("ping", "-c", "1", "10.9.9.9")).failed();
 * }</pre>
 */
public class ExecResultAssert extends AbstractAssert<ExecResultAssert, ExecResult> {

    ExecResultAssert(ExecResult actual) {
        super(actual, ExecResultAssert.class);
    }

    /**
     * Verifies that the command exited with 0.
     * Passes for {@code exec("true")}; fails for {@code exec("false")}.
     */
    public ExecResultAssert succeeded() {
        isNotNull();
        if (!actual.isSuccess()) {
            failWithMessage(
                    "%s",
                    "Expecting command to succeed but it exited " + actual.exitCode() + ":\n" + actual.describe());
        }
        return myself;
    }

    /**
     * Verifies that the command exited with a non-zero code.
     * Passes for {@code exec("false")}; fails for {@code exec("true")}.
     */
    public ExecResultAssert failed() {
        isNotNull();
        if (actual.isSuccess()) {
            failWithMessage("%s", "Expecting command to fail but it exited 0:\n" + actual.describe());
        }
        return myself;
    }

    /**
     * Verifies the exact exit code.
     * {@code hasExitCode(1)} passes for {@code exec("false")} and fails for {@code exec("true")}.
     */
    public ExecResultAssert hasExitCode(int expected) {
        isNotNull();
        if (actual.exitCode() != expected) {
            failWithMessage(
                    "%s",
                    "Expecting exit code " + expected + " but was " + actual.exitCode() + ":\n" + actual.describe());
        }
        return myself;
    }

    /**
     * Verifies that standard output contains {@code text}.
     * {@code stdoutContains("default")} passes for {@code exec("ip", "route")} in a namespace with a default route.
     */
    public ExecResultAssert stdoutContains(String text) {
        isNotNull();
        if (!actual.stdout().contains(text)) {
            failWithMessage("%s", "Expecting stdout to contain <" + text + "> but it did not:\n" + actual.describe());
        }
        return myself;
    }

    /**
     * Verifies that standard error contains {@code text}.
     * {@code stderrContains("No such file")} passes for {@code exec("ls", "/nope")}.
     */
    public ExecResultAssert stderrContains(String text) {
        isNotNull();
        if (!actual.stderr().contains(text)) {
            failWithMessage("%s", "Expecting stderr to contain <" + text + "> but it did not:\n" + actual.describe());
        }
        return myself;
    }
}
