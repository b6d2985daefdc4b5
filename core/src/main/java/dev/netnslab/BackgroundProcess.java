package dev.netnslab;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A process started in the background, by {@link Namespace#spawn(String...)} for example. Closing it
 * kills it if it still runs; the lab closes the ones it started.
 *
 * <p>A process from {@code spawn} is handed over as started, not as ready: wait for what the test
 * needs before using it, as Testcontainers' wait strategies do for a container.
 *
 * <pre>{@code
 * BackgroundProcess server = srv.spawn("redis-server", "--port", "6379", "--protected-mode", "no");
 * server.awaitListening(6379);             // or awaitOutput("Ready to accept connections")
 * }</pre>
 *
 * If the process exits first, or the wait runs out, the exception shows the command, its exit code
 * and its last lines of output. The methods added to this interface have defaults, so a
 * {@link dev.netnslab.backend.Backend} written before them still compiles; those defaults know no
 * pid, exit code or output.
 */
public interface BackgroundProcess extends AutoCloseable {

    /** Whether the process is still running. */
    boolean isAlive();

    /** Waits up to {@code timeout} for the process to exit; returns whether it did. */
    boolean waitFor(Duration timeout);

    /** Stops the process (SIGTERM, then SIGKILL after a short grace period) and waits for it. Idempotent. */
    @Override
    void close();

    /** The process id on the lab's kernel, when the backend knows it. */
    default OptionalLong pid() {
        return OptionalLong.empty();
    }

    /** The exit code once the process has ended and the backend knows it; empty while it runs. */
    default OptionalInt exitCode() {
        return OptionalInt.empty();
    }

    /**
     * What the process wrote so far, standard output and standard error interleaved; only the last
     * 64 KiB are kept. Empty where the backend does not keep output.
     */
    default String output() {
        return "";
    }

    /**
     * Waits until the process's namespace has a TCP socket listening on {@code port} (any address),
     * within {@code netnslab.ready.timeout} (default 10 s).
     *
     * @return this process, to chain
     * @throws NetnsLabException when the process exits first or the time runs out, with its command,
     *                           exit code and last output lines
     */
    default BackgroundProcess awaitListening(int port) {
        throw new UnsupportedOperationException("awaitListening needs a process started by Namespace.spawn");
    }

    /** {@link #awaitListening(int)} within {@code timeout}. */
    default BackgroundProcess awaitListening(int port, Duration timeout) {
        throw new UnsupportedOperationException("awaitListening needs a process started by Namespace.spawn");
    }

    /**
     * Waits until the process's output contains {@code text}, within {@code netnslab.ready.timeout}.
     *
     * @return this process, to chain
     * @throws NetnsLabException when the process exits first or the time runs out, with its command,
     *                           exit code and last output lines
     */
    default BackgroundProcess awaitOutput(String text) {
        return awaitOutput(Pattern.compile(Pattern.quote(text)));
    }

    /** {@link #awaitOutput(String)} within {@code timeout}. */
    default BackgroundProcess awaitOutput(String text, Duration timeout) {
        return awaitOutput(Pattern.compile(Pattern.quote(text)), timeout);
    }

    /** Waits until {@code pattern} is found in the process's output, within {@code netnslab.ready.timeout}. */
    default BackgroundProcess awaitOutput(Pattern pattern) {
        throw new UnsupportedOperationException("awaitOutput needs a process started by Namespace.spawn");
    }

    /** {@link #awaitOutput(Pattern)} within {@code timeout}. */
    default BackgroundProcess awaitOutput(Pattern pattern, Duration timeout) {
        throw new UnsupportedOperationException("awaitOutput needs a process started by Namespace.spawn");
    }
}
