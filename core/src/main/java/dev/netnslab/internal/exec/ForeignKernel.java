package dev.netnslab.internal.exec;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.backend.Backend;
import java.time.Duration;
import java.util.List;

/**
 * A user's own {@link Backend} as a {@link Kernel}: every command goes through its {@code run} and
 * {@code start}. It can do what any kernel reached by commands can; it cannot tether a process to
 * this JVM, so its labs rely on the sweep of the next run rather than a watchdog.
 */
final class ForeignKernel implements Kernel {

    private final Backend backend;
    private final CommandRunner runner;

    ForeignKernel(Backend backend) {
        this.backend = backend;
        this.runner = new CommandRunner() {
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

    @Override
    public CommandRunner runner() {
        return runner;
    }

    @Override
    public String name() {
        return backend.name();
    }

    @Override
    public ExecResult run(List<String> argv, String stdin, Duration timeout) {
        return backend.run(argv, stdin, timeout);
    }

    @Override
    public BackgroundProcess start(List<String> argv) {
        return backend.start(argv);
    }

    @Override
    public String ip() {
        return backend.ip();
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return backend.toString();
    }
}
