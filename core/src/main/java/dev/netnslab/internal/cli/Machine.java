package dev.netnslab.internal.cli;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.backend.local.ThisMachine;
import dev.netnslab.internal.backend.rootless.RootlessBackend;
import dev.netnslab.internal.settings.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The machine the commands look at: its OS, the current uid, the programs on a PATH, and a way to
 * run them. The PATH is a parameter so tests can ask "what if ping were not installed?".
 */
class Machine {

    private final String osName;
    private final int uid;
    private final String pathVariable;

    Machine(String osName, int uid, String pathVariable) {
        this.osName = osName;
        this.uid = uid;
        this.pathVariable = pathVariable;
    }

    /** This machine, with the process' PATH. */
    static Machine current() {
        return new Machine(System.getProperty("os.name", "unknown"), ThisMachine.effectiveUid(), System.getenv("PATH"));
    }

    String osName() {
        return osName;
    }

    boolean isLinux() {
        return osName.toLowerCase(java.util.Locale.ROOT).contains("linux");
    }

    int uid() {
        return uid;
    }

    /** The kernel release, e.g. {@code 6.1.0-18-amd64}, from /proc. */
    Optional<String> kernelRelease() {
        try {
            return Optional.of(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The first executable called {@code program} on the PATH, like {@code command -v}. */
    Optional<Path> which(String program) {
        return ThisMachine.which(program, pathVariable);
    }

    /** Runs argv (privileged through {@code sudo -n} when not root) and returns its result, or empty when it cannot start. */
    Optional<ExecResult> run(List<String> argv) {
        try {
            LocalRunner runner = uid == 0 ? new LocalRunner() : new LocalRunner(List.of("sudo", "-n"));
            return Optional.of(runner.run(Command.of(Duration.ofSeconds(20), argv)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Runs argv as the current user, without sudo. */
    Optional<ExecResult> runUnprivileged(List<String> argv) {
        return runUnprivileged(argv, Duration.ofSeconds(20));
    }

    /** Runs argv as the current user, without sudo, with a time limit. */
    Optional<ExecResult> runUnprivileged(List<String> argv, Duration timeout) {
        try {
            return Optional.of(new LocalRunner().run(Command.of(timeout, argv)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * What the rootless backend can do here: whether it starts and a namespace can be created and
     * deleted inside it, and whether packet captures can run there.
     *
     * @param problem  why rootless labs cannot run here, with what to do; empty when they can
     * @param captures why captures cannot run on it; empty when they can (or when it does not start)
     */
    record Rootless(Optional<String> problem, Optional<String> captures) {
    }

    /** Tries the rootless backend: starts it (once per JVM) and creates and deletes a namespace in it. */
    Rootless rootless(Settings settings) {
        try {
            RootlessBackend backend = RootlessBackend.start(settings);
            String name = "netnslab-doctor-rootless";
            for (String verb : List.of("add", "del")) {
                ExecResult result = backend.runner().run(Command.of(Duration.ofSeconds(20),
                        List.of(backend.ip(), "netns", verb, name)));
                if (!result.isSuccess()) {
                    return new Rootless(Optional.of("'ip netns " + verb + "' failed inside its user namespace: "
                            + result.stderr().strip()), Optional.empty());
                }
            }
            return new Rootless(Optional.empty(), backend.whyNoCaptures());
        } catch (RuntimeException e) {
            // The cause is what the system said; the message adds advice that doctor gives as the fix.
            Throwable what = e.getCause() != null ? e.getCause() : e;
            return new Rootless(Optional.of(String.valueOf(what.getMessage())), Optional.empty());
        }
    }

}
