package dev.netnslab.internal.exec;

import dev.netnslab.internal.Deadline;

import dev.netnslab.BackgroundProcess;

import java.time.Duration;

/**
 * A process {@link SshRunner} started on the remote host, known by its pid there. It is detached
 * from the shell that started it, so it outlives dropped connections until {@link #close()} or
 * {@link SshRunner#close()} stops it.
 */
final class SshProcess implements BackgroundProcess {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    private final SshRunner runner;
    private final long pid;
    private final Command command;
    private volatile boolean stopped;

    SshProcess(SshRunner runner, long pid, Command command) {
        this.runner = runner;
        this.pid = pid;
        this.command = command;
    }

    @Override
    public boolean isAlive() {
        return !stopped && runner.control("alive", pid, CHECK_TIMEOUT) == 0;
    }

    @Override
    public boolean waitFor(Duration timeout) {
        Deadline deadline = Deadline.in(timeout);
        while (isAlive()) {
            if (deadline.isPast()) {
                return false;
            }
            deadline.sleep(Duration.ofMillis(100), "for a remote process to exit");
        }
        return true;
    }

    @Override
    public void close() {
        if (stopped) {
            return;
        }
        runner.control("stop", pid, CHECK_TIMEOUT);
        stopped = true;
        runner.forget(this);
    }

    @Override
    public String toString() {
        return "pid " + pid + " on " + runner.describe() + ": " + command.render();
    }
}
