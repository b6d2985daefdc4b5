package dev.netnslab.exec;

import dev.netnslab.NetnsLabException;

import java.time.Duration;

/** A command ran longer than its timeout and was killed. The message names the command and the limit. */
public class CommandTimeoutException extends NetnsLabException {

    private static final long serialVersionUID = 1L;

    private final transient Command command;

    public CommandTimeoutException(Command command, String where) {
        super("Command timed out after " + command.timeout().toMillis() + " ms on " + where + " and was killed: "
                + command.render() + ". Give it a longer timeout, or find out why it hangs.");
        this.command = command;
    }

    /** The command that timed out. */
    public Command command() {
        return command;
    }

    /** The limit it was given. */
    public Duration timeout() {
        return command.timeout();
    }
}
