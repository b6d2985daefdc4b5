package dev.netnslab;

import java.time.Duration;
import java.util.List;

/**
 * A command ran longer than its timeout and was killed. The message names the command, where it ran
 * and the limit.
 */
public class CommandTimeoutException extends NetnsLabException {

    private static final long serialVersionUID = 1L;

    private final List<String> argv;
    private final Duration timeout;

    /**
     * @param argv     the command that timed out
     * @param rendered the command as a person would type it, for the message
     * @param timeout  the limit it was given
     * @param where    where it ran, e.g. {@code local} or {@code ssh root@host:22}
     */
    public CommandTimeoutException(List<String> argv, String rendered, Duration timeout, String where) {
        super("Command timed out after " + timeout.toMillis() + " ms on " + where + " and was killed: " + rendered
                + ". Give it a longer timeout, or find out why it hangs.");
        this.argv = List.copyOf(argv);
        this.timeout = timeout;
    }

    /** The command that timed out, as argv. */
    public List<String> argv() {
        return argv;
    }

    /** The limit it was given. */
    public Duration timeout() {
        return timeout;
    }
}
