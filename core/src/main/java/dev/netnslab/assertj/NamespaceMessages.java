package dev.netnslab.assertj;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.diagnostics.PathDiagnosis;
import dev.netnslab.internal.engine.LabNamespace;
import dev.netnslab.internal.probe.StateSnapshot;
import java.time.Duration;

/**
 * The shapes of a failed namespace check, so every message reads the same way:
 * {@code Expecting namespace <ns> EXPECTATION but WHAT HAPPENED}, followed, for checks that ran a
 * command, by that command's result and the namespace's addresses and routes, and for failed
 * reachability checks by where the path breaks.
 */
final class NamespaceMessages {

    /**
     * How long working out where a path breaks may take; it reads a few states per stop, each a
     * process where checks are not in this JVM. It only runs when a check already failed; with two
     * cores saturated by busy loops and other builds (load 25), 5 s was seen to run out.
     */
    private static final Duration PATH_BUDGET = Duration.ofSeconds(15);

    private NamespaceMessages() {}

    /** A check that read the namespace's state: what was expected, and the state that was found. */
    static String stateFailure(LabNamespace ns, String expectation, String found) {
        return "Expecting namespace <" + ns.name() + "> " + expectation + " but " + found;
    }

    /** A check that ran a probe: what was expected, what happened, the probe's result and the namespace's state now. */
    static String probeFailure(LabNamespace ns, String expectation, String happened, ExecResult evidence) {
        ns.lab().faults().checkFailed();
        return stateFailure(ns, expectation, happened) + "\n" + indent(evidence.describe()) + "\n"
                + StateSnapshot.of(ns);
    }

    /**
     * A reachability check that failed: as {@link #probeFailure}, followed by where the path from
     * {@code ns} to {@code target} breaks ({@code probe} sends the same traffic once more, for the
     * firewall counters).
     */
    static String unreachable(
            LabNamespace ns, String target, String expectation, String happened, ExecResult evidence, Runnable probe) {
        return probeFailure(ns, expectation, happened, evidence) + "\n"
                + PathDiagnosis.explain(ns, target, probe, PATH_BUDGET);
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
