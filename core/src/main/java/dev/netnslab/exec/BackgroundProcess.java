package dev.netnslab.exec;

import java.time.Duration;

/** A process started with {@link CommandRunner#start(Command)}. Closing it kills it if it still runs. */
public interface BackgroundProcess extends AutoCloseable {

    /** Whether the process is still running. */
    boolean isAlive();

    /** Waits up to {@code timeout} for the process to exit; returns whether it did. */
    boolean waitFor(Duration timeout);

    /** Stops the process (SIGTERM, then SIGKILL after a short grace period) and waits for it. Idempotent. */
    @Override
    void close();
}
