package dev.netnslab.internal.backend;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A backend built on a {@link CommandRunner}: every backend netns-lab ships. The engine talks to any
 * backend through {@link #runnerOf(Backend)}, so a user's own {@link Backend} works too, minus what
 * only a runner can do (tethered processes for the watchdog).
 */
public interface RunnerBackend extends Backend {

    /** The runner that executes every command of every lab on this backend. */
    CommandRunner runner();

    @Override
    default ExecResult run(List<String> argv, String stdin, Duration timeout) {
        Command command = Command.of(timeout, argv);
        return runner().run(stdin == null ? command : command.withStdin(stdin));
    }

    @Override
    default BackgroundProcess start(List<String> argv) {
        return runner().start(Command.of(Duration.ofDays(1), argv));
    }

    /**
     * Whether everything built on this backend ends by itself when this JVM ends, even by
     * {@code kill -9}: then ownership records, the watchdog and sweeps have nothing to do for it.
     */
    default boolean endsWithThisJvm() {
        return false;
    }

    /** Why packet captures cannot run on this backend, with what to do about it; empty when they can. */
    default Optional<String> whyNoCaptures() {
        return Optional.empty();
    }

    /**
     * Why code cannot run in this JVM's own threads inside this backend's namespaces, as a clause
     * that completes "..., but": e.g. {@code the lab runs on the rootless backend: ...}. Empty when
     * the backend itself does not stand in the way.
     */
    default Optional<String> whyNoInProcess() {
        return Optional.empty();
    }

    /** {@link #whyNoInProcess()} of {@code backend}; empty for a backend that is not a runner backend. */
    static Optional<String> whyNoInProcess(Backend backend) {
        return backend instanceof RunnerBackend runnerBackend ? runnerBackend.whyNoInProcess() : Optional.empty();
    }

    /** Why packet captures cannot run on {@code backend}; empty for a backend that is not a runner backend. */
    static Optional<String> whyNoCaptures(Backend backend) {
        return backend instanceof RunnerBackend runnerBackend ? runnerBackend.whyNoCaptures() : Optional.empty();
    }

    /** The runner of {@code backend}: its own when it has one, else one that calls its {@link Backend} methods. */
    static CommandRunner runnerOf(Backend backend) {
        if (backend instanceof RunnerBackend runnerBackend) {
            return runnerBackend.runner();
        }
        return new CommandRunner() {
            @Override
            public ExecResult run(Command command) {
                return backend.run(command.argv(), command.stdin(), command.timeout());
            }

            @Override
            public BackgroundProcess start(Command command) {
                return backend.start(command.argv());
            }

            @Override
            public String describe() {
                return backend.name();
            }
        };
    }
}
