package dev.netnslab.internal.exec;

import java.time.Duration;

/** What a {@link ShellProcess} needs from the runner whose shell started it. */
public interface ShellHost {

    /** Checks ({@code alive}: 0 while it runs) or stops ({@code stop}) the process {@code pid}; returns the exit code. */
    int control(String action, long pid, Duration timeout);

    /** The process has been stopped; the runner need not stop it again when it closes. */
    void forget(ShellProcess process);

    /** Where the process runs, for messages. */
    String describe();
}
