package dev.netnslab.internal.cli;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.LocalRunner;
import dev.netnslab.internal.exec.ThisMachine;

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

}
