package dev.netnslab.internal.backend;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;

import java.time.Duration;
import java.util.List;

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
