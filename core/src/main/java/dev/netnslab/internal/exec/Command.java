package dev.netnslab.internal.exec;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One process to run: an argv list, optional standard input, and a time limit. There is no
 * command-string form on purpose: arguments reach the process exactly as given, and no shell
 * ever interprets them.
 *
 * @param argv    the program and its arguments; never empty, no element null or holding a NUL byte
 * @param stdin   text fed to standard input, or {@code null} for none
 * @param timeout how long the process may run before it is killed; positive
 */
public record Command(List<String> argv, String stdin, Duration timeout) {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    public Command {
        Objects.requireNonNull(argv, "argv");
        Objects.requireNonNull(timeout, "timeout");
        argv = List.copyOf(checkArgv(argv));
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
    }

    public static Command of(Duration timeout, List<String> argv) {
        return new Command(argv, null, timeout);
    }

    /** The same command with {@code input} on standard input. */
    public Command withStdin(String input) {
        return new Command(argv, input, timeout);
    }

    /** The same command run through {@code prefix} (for example {@code sudo -n}, or {@code ip netns exec NS}). */
    public Command prefixedWith(List<String> prefix) {
        if (prefix.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(prefix);
        all.addAll(argv);
        return new Command(all, stdin, timeout);
    }

    /** The argv as one line for messages and logs; arguments with special characters are single-quoted. */
    public String render() {
        return render(argv);
    }

    /** Renders any argv the way {@link #render()} does. For humans only, never for a shell. */
    public static String render(List<String> argv) {
        return argv.stream().map(Command::quoteForDisplay).collect(Collectors.joining(" "));
    }

    private static String quoteForDisplay(String arg) {
        if (PLAIN.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''").replace("\0", "\\0") + "'";
    }

    /**
     * Checks an argv before anything runs: it must hold at least the program, and no argument may be
     * null or contain a NUL byte (the kernel would cut the argument there).
     */
    public static List<String> checkArgv(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException(
                    "argv must name at least the program to run but was empty; pass e.g. exec(\"ip\", \"addr\")");
        }
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg == null) {
                throw new IllegalArgumentException("argv[" + i + "] is null; every argument must be a string");
            }
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argv[" + i + "] '" + arg.replace("\0", "\\0")
                        + "' contains a NUL byte, which no process argument can hold; remove it");
            }
        }
        if (argv.get(0).isEmpty()) {
            throw new IllegalArgumentException("argv[0] (the program) is empty; name the program to run");
        }
        return argv;
    }

    @Override
    public String toString() {
        return render();
    }
}
