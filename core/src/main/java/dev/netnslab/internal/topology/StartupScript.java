package dev.netnslab.internal.topology;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a startup script runs, and how its failure is read back: bash reads the script from standard
 * input as a sourced file, so that {@code $LINENO} counts the script's own lines, and stops at the
 * first command that fails, printing a marker with that line and the exit status. A script is the
 * user's own program (a Kathara device's {@code .startup} file); nothing of the library's is
 * evaluated in it.
 */
public final class StartupScript {

    /** The last word of the marker line, for the trap and the parser. */
    private static final String MARKER = "netnslab-startup-failed";

    private static final Pattern FAILED = Pattern.compile(MARKER + " line=(\\d+) status=(\\d+)");

    /**
     * Stops at the first failing command, reporting its line; init scripts start their daemon in the
     * namespace instead of asking the machine's systemd to (Debian's redirect honours this variable).
     */
    private static final List<String> ARGV = List.of(
            "env",
            "_SYSTEMCTL_SKIP_REDIRECT=1",
            "bash",
            "-c",
            "trap 'echo \"" + MARKER + " line=$LINENO status=$?\" >&2' ERR; set -eE; source /dev/stdin");

    private StartupScript() {}

    /** The startup that runs {@code script} in {@code namespace}. */
    public static Topology.StartupSpec of(
            String namespace, String origin, String script, List<Topology.Requirement> requires) {
        return new Topology.StartupSpec(namespace, origin, ARGV, script, requires);
    }

    /** The line (1-based) and exit status the marker in {@code stderr} reports, if a command failed. */
    public static Optional<int[]> failure(String stderr) {
        Matcher matcher = FAILED.matcher(stderr);
        return matcher.find()
                ? Optional.of(new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))})
                : Optional.empty();
    }

    /** {@code output} without the marker, and with bash's name for the script replaced by {@code origin}. */
    public static String output(String output, String origin) {
        return output.lines()
                .filter(line -> !line.startsWith(MARKER))
                .map(line -> line.replace("/dev/stdin:", origin + ":"))
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }
}
