package dev.netnslab.internal.exec;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.internal.Deadline;
import java.time.Duration;

/**
 * A process that a persistent shell started in the background, known by its pid where it runs: on
 * an SSH host ({@code SshRunner}) or inside the rootless backend's user namespace
 * ({@code UserNamespaceRunner}). It is detached from the shell that started it, so it outlives
 * dropped connections until {@link #close()} or its runner's close stops it.
 */
public final class ShellProcess implements BackgroundProcess {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    private final ShellHost host;
    private final long pid;
    private final Command command;
    private volatile boolean stopped;

    public ShellProcess(ShellHost host, long pid, Command command) {
        this.host = host;
        this.pid = pid;
        this.command = command;
    }

    @Override
    public java.util.OptionalLong pid() {
        return java.util.OptionalLong.of(pid);
    }

    @Override
    public boolean isAlive() {
        return !stopped && host.control("alive", pid, CHECK_TIMEOUT) == 0;
    }

    @Override
    public boolean waitFor(Duration timeout) {
        Deadline deadline = Deadline.in(timeout);
        while (isAlive()) {
            if (deadline.isPast()) {
                return false;
            }
            deadline.sleep(Duration.ofMillis(100), "for a background process to exit");
        }
        return true;
    }

    @Override
    public void close() {
        if (stopped) {
            return;
        }
        host.control("stop", pid, CHECK_TIMEOUT);
        stopped = true;
        host.forget(this);
    }

    @Override
    public String toString() {
        return "pid " + pid + " on " + host.describe() + ": " + command.render();
    }
}
