package dev.netnslab.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.NetnsLabException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Deadline: the one way to wait")
class DeadlineTest {

    @AfterEach
    void clearInterrupt() {
        // A failed test must not leave this thread interrupted for the next one.
        Thread.interrupted();
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

    /**
     * Sleeps are checked against other deadlines, not against a stopwatch: "the step has passed" and
     * "the whole step has not", whose margin is the step itself, so a loaded machine cannot fail them.
     */
    @Nested
    @DisplayName("sleeping")
    class Sleeping {

        @Test
        @DisplayName("a step shorter than what is left sleeps the step")
        void shortStep() {
            Deadline deadline = Deadline.in(Duration.ofSeconds(30));
            Deadline step = Deadline.in(Duration.ofMillis(50));
            deadline.sleep(Duration.ofMillis(50), "a short step");
            assertThat(step.isPast()).as("slept the step").isTrue();
            assertThat(deadline.isPast()).as("did not sleep until the deadline").isFalse();
        }

        @Test
        @DisplayName("a step longer than what is left ends at the deadline")
        void cappedAtTheDeadline() {
            Deadline deadline = Deadline.in(Duration.ofMillis(200));
            Deadline wholeStep = Deadline.in(Duration.ofSeconds(30));
            deadline.sleep(Duration.ofSeconds(30), "a long step");
            assertThat(deadline.isPast()).as("slept until the deadline").isTrue();
            assertThat(wholeStep.isPast()).as("did not sleep the whole step").isFalse();
        }

        @Test
        @DisplayName("once the deadline has passed, sleep returns at once")
        void afterTheDeadline() {
            Deadline deadline = Deadline.in(Duration.ofSeconds(-1));
            Deadline wholeStep = Deadline.in(Duration.ofSeconds(30));
            deadline.sleep(Duration.ofSeconds(30), "nothing");
            assertThat(wholeStep.isPast()).as("did not sleep the step").isFalse();
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
            Deadline wholeStep = Deadline.in(Duration.ofSeconds(10));
            assertThatThrownBy(() -> deadline.sleep(Duration.ofSeconds(10), "the namespaces to go"))
                    .isInstanceOf(NetnsLabException.class)
                    .hasMessageContaining("the namespaces to go")
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted())
                    .as("the interrupt flag is set again")
                    .isTrue();
            assertThat(wholeStep.isPast()).as("did not sleep the step").isFalse();
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
            sleeper.interrupt();
            sleeper.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(sleeper.isAlive())
                    .as("the sleeper, 10 s after its interrupt, of a 60 s sleep")
                    .isFalse();
            assertThat(thrown.get()).isInstanceOf(NetnsLabException.class).hasMessageContaining("a lab to start");
            assertThat(flagAfter).isTrue();
        }
    }
}
