package dev.netnslab;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one command run inside a namespace (or on the lab's backend).
 *
 * <p>A non-zero exit is a result, not an error: {@link Namespace#exec(String...)} never throws
 * because the command failed. Use {@link #isSuccess()} or
 * {@code NetnsAssertions.assertThat(result).succeeded()} to check it.
 *
 * @param command  the argv that was run, exactly as the process received it
 * @param exitCode the process' exit code
 * @param stdout   everything the command wrote to standard output
 * @param stderr   everything the command wrote to standard error, kept apart from stdout
 * @param duration wall-clock time from start to exit
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr, Duration duration) {

    /** Output longer than this is cut in {@link #toString()} and in failure messages. */
    static final int MAX_SHOWN = 4096;

    public ExecResult {
        command = List.copyOf(command);
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(duration, "duration");
    }

    /** Whether the command exited with code 0. */
    public boolean isSuccess() {
        return exitCode == 0;
    }

    /** The argv as one line, each argument quoted when it holds anything but plain characters. */
    public String commandLine() {
        return dev.netnslab.internal.exec.Command.render(command);
    }

    /**
     * A multi-line description in the form of zt-exec's {@code InvalidExitValueException}: the
     * command, the exit code and both outputs, each cut to a few KB.
     */
    public String describe() {
        return "command: " + commandLine()
                + "\nexit code: " + exitCode
                + "\nstdout: " + shorten(stdout)
                + "\nstderr: " + shorten(stderr);
    }

    static String shorten(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return "<empty>";
        }
        if (trimmed.length() <= MAX_SHOWN) {
            return trimmed;
        }
        return trimmed.substring(0, MAX_SHOWN) + "... (" + (trimmed.length() - MAX_SHOWN) + " more characters)";
    }

    @Override
    public String toString() {
        return "ExecResult[" + commandLine() + " -> exit " + exitCode + " in " + duration.toMillis() + " ms]";
    }
}
