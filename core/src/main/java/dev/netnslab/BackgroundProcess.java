package dev.netnslab;

import java.time.Duration;

/**
 * A process started in the background, by {@link Namespace#spawn(String...)} for example. Closing it
 * kills it if it still runs; the lab closes the ones it started.
 */
public interface BackgroundProcess extends AutoCloseable {

    /** Whether the process is still running. */
    boolean isAlive();

    /** Waits up to {@code timeout} for the process to exit; returns whether it did. */
    boolean waitFor(Duration timeout);

    /** Stops the process (SIGTERM, then SIGKILL after a short grace period) and waits for it. Idempotent. */
    @Override
    void close();
}
