package dev.netnslab.internal.cli;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.backend.rootless.RootlessBackend;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.settings.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the rootless backend can do here: whether it starts and a namespace can be created and
 * deleted inside it, and whether packet captures can run there. The doctor is given the check as a
 * function, so tests can play machines where rootless labs work or are refused.
 *
 * @param problem  why rootless labs cannot run here, with what to do; empty when they can
 * @param captures why captures cannot run on it; empty when they can (or when it does not start)
 */
record RootlessCheck(Optional<String> problem, Optional<String> captures) {

    /** Tries the rootless backend: starts it (once per JVM) and creates and deletes a namespace in it. */
    static RootlessCheck run(Settings settings) {
        try {
            RootlessBackend backend = RootlessBackend.start(settings);
            String name = "netnslab-doctor-rootless";
            for (String verb : List.of("add", "del")) {
                ExecResult result = backend.runner()
                        .run(Command.of(Duration.ofSeconds(20), List.of(backend.ip(), "netns", verb, name)));
                if (!result.isSuccess()) {
                    return new RootlessCheck(
                            Optional.of("'ip netns " + verb + "' failed inside its user namespace: "
                                    + result.stderr().strip()),
                            Optional.empty());
                }
            }
            return new RootlessCheck(Optional.empty(), backend.whyNoCaptures());
        } catch (RuntimeException e) {
            // The cause is what the system said; the message adds advice that doctor gives as the fix.
            Throwable what = e.getCause() != null ? e.getCause() : e;
            return new RootlessCheck(Optional.of(String.valueOf(what.getMessage())), Optional.empty());
        }
    }
}
