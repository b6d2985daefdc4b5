package dev.netnslab.internal;

import dev.netnslab.NetnsLabException;
import java.time.Duration;

/**
 * A point in time to wait until, and the one way netns-lab sleeps while it waits. Every wait has the
 * same interrupt policy: the thread's interrupt flag is restored and a {@link NetnsLabException}
 * saying what was being waited for is thrown, so an interrupted test stops instead of carrying on.
 *
 * <pre>{@code
 * Deadline deadline = Deadline.in(Duration.ofSeconds(5));
 * while (!gone()) {
 *     if (deadline.isPast()) throw new NetnsLabException("still there");
 *     deadline.sleep(Duration.ofMillis(50), "the namespaces to go");
 * }
 * }</pre>
 */
public final class Deadline {

    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    /** A deadline {@code duration} from now. */
    public static Deadline in(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    /** Whether the deadline has passed. */
    public boolean isPast() {
        return remaining().isZero();
    }

    /** What is left, never negative. */
    public Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /**
     * Sleeps for {@code step}, or until the deadline if that comes first.
     *
     * @param waitingFor what the caller waits for, for the message when interrupted
     * @throws NetnsLabException when interrupted; the interrupt flag is set again
     */
    public void sleep(Duration step, String waitingFor) {
        Duration left = remaining();
        pause(step.compareTo(left) < 0 ? step : left, waitingFor);
    }

    /**
     * Sleeps for {@code duration} with the same interrupt policy, for pauses that have no deadline.
     *
     * @throws NetnsLabException when interrupted; the interrupt flag is set again
     */
    public static void pause(Duration duration, String waitingFor) {
        try {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetnsLabException("Interrupted while waiting " + waitingFor, e);
        }
    }
}
