package dev.netnslab.internal;

import dev.netnslab.NetnsLabException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Deadline: the one way to wait")
class DeadlineTest {

    @AfterEach
    void clearInterrupt() {
        // A failed test must not leave this thread interrupted for the next one.
        Thread.interrupted();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Nested
    @DisplayName("remaining time")
    class Remaining {

        @Test
        @DisplayName("starts at most at the duration given, and is not yet past")
        void fresh() {
            Deadline deadline = Deadline.in(Duration.ofSeconds(10));
            assertThat(deadline.remaining()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
            assertThat(deadline.isPast()).isFalse();
        }

        @Test
        @DisplayName("is zero, never negative, once the deadline has passed")
        void neverNegative() {
            Deadline deadline = Deadline.in(Duration.ofMillis(1));
            Deadline.pause(Duration.ofMillis(20), "the deadline to pass");
            assertThat(deadline.remaining()).isEqualTo(Duration.ZERO);
            assertThat(deadline.isPast()).isTrue();
        }

        @Test
        @DisplayName("a deadline in the past, or now, is past at once")
        void alreadyPast() {
            assertThat(Deadline.in(Duration.ofSeconds(-5)).remaining()).isEqualTo(Duration.ZERO);
            assertThat(Deadline.in(Duration.ofSeconds(-5)).isPast()).isTrue();
            assertThat(Deadline.in(Duration.ZERO).isPast()).isTrue();
        }
    }

    @Nested
    @DisplayName("sleeping")
    class Sleeping {

        @Test
        @DisplayName("a step shorter than what is left sleeps the step")
        void shortStep() {
            Deadline deadline = Deadline.in(Duration.ofSeconds(30));
            long start = System.nanoTime();
            deadline.sleep(Duration.ofMillis(50), "a short step");
            assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(50)).isLessThan(Duration.ofSeconds(10));
        }

        @Test
        @DisplayName("a step longer than what is left ends at the deadline")
        void cappedAtTheDeadline() {
            Deadline deadline = Deadline.in(Duration.ofMillis(200));
            long start = System.nanoTime();
            deadline.sleep(Duration.ofSeconds(30), "a long step");
            assertThat(since(start)).as("slept until the deadline, not for the whole step")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(150)).isLessThan(Duration.ofSeconds(10));
            assertThat(deadline.isPast()).isTrue();
        }

        @Test
        @DisplayName("once the deadline has passed, sleep returns at once")
        void afterTheDeadline() {
            Deadline deadline = Deadline.in(Duration.ofSeconds(-1));
            long start = System.nanoTime();
            deadline.sleep(Duration.ofSeconds(30), "nothing");
            assertThat(since(start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Nested
    @DisplayName("interrupts: the flag is restored and a NetnsLabException says what was awaited")
    class Interrupts {

        @Test
        @DisplayName("a thread interrupted before sleep")
        void interruptedBeforeSleep() {
            Deadline deadline = Deadline.in(Duration.ofSeconds(30));
            Thread.currentThread().interrupt();
            long start = System.nanoTime();
            assertThatThrownBy(() -> deadline.sleep(Duration.ofSeconds(10), "the namespaces to go"))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("the namespaces to go")
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).as("the interrupt flag is set again").isTrue();
            assertThat(since(start)).isLessThan(Duration.ofSeconds(5));
        }

        @Test
        @DisplayName("a pause with no deadline follows the same policy")
        void interruptedPause() {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> Deadline.pause(Duration.ofSeconds(10), "the watchdog"))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("the watchdog");
            assertThat(Thread.interrupted()).isTrue();
        }

        @Test
        @DisplayName("a thread interrupted while it sleeps stops sleeping at once")
        void interruptedWhileSleeping() throws Exception {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flagAfter = new AtomicBoolean();
            CompletableFuture<Void> asleep = new CompletableFuture<>();
            Thread sleeper = new Thread(() -> {
                asleep.complete(null);
                try {
                    Deadline.in(Duration.ofSeconds(60)).sleep(Duration.ofSeconds(60), "a lab to start");
                } catch (RuntimeException e) {
                    thrown.set(e);
                }
                flagAfter.set(Thread.currentThread().isInterrupted());
            });
            sleeper.start();
            asleep.get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            sleeper.interrupt();
            sleeper.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(sleeper.isAlive()).isFalse();
            assertThat(since(start)).isLessThan(Duration.ofSeconds(10));
            assertThat(thrown.get()).isInstanceOf(NetnsLabException.class).hasMessageContaining("a lab to start");
            assertThat(flagAfter).isTrue();
        }
    }
}
