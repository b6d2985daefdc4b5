package dev.netnslab.assertj;

import dev.netnslab.ExecResult;
import dev.netnslab.Namespace;
import dev.netnslab.internal.probe.StateSnapshot;

/**
 * The two shapes of a failed namespace check, so every message reads the same way:
 * {@code Expecting namespace <ns> EXPECTATION but WHAT HAPPENED}, followed, for checks that ran a
 * command, by that command's result and the namespace's addresses and routes.
 */
final class NamespaceMessages {

    private NamespaceMessages() {
    }

    /** A check that read the namespace's state: what was expected, and the state that was found. */
    static String stateFailure(Namespace ns, String expectation, String found) {
        return "Expecting namespace <" + ns.name() + "> " + expectation + " but " + found;
    }

    /** A check that ran a probe: what was expected, what happened, the probe's result and the namespace's state now. */
    static String probeFailure(Namespace ns, String expectation, String happened, ExecResult evidence) {
        return stateFailure(ns, expectation, happened) + "\n" + indent(evidence.describe()) + "\n" + StateSnapshot.of(ns);
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
