package dev.netnslab.internal.exec;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.Deadline;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A runner whose commands go to persistent shells speaking {@link RemoteScript}'s protocol: over SSH
 * channels, or inside the rootless backend's user namespace. The pool opens shells as parallel
 * callers need them (up to {@link #maxShells()}), reuses them, and retries a command once when the
 * shell it was given had died before taking it; what differs between the two is how a shell is
 * opened, how a hanging command is stopped, and how failures are worded.
 */
public abstract class ShellPool implements CommandRunner, ShellHost, AutoCloseable {

    public static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);

    private final Deque<RemoteShell> idle = new ArrayDeque<>();
    private final Set<ShellProcess> processes = ConcurrentHashMap.newKeySet();
    private int shells;
    private boolean closed;

    /** Opens a new shell; called without the pool's lock. */
    protected abstract RemoteShell openShell();

    /** How many shells may be open at once. */
    protected abstract int maxShells();

    /** Stops the command {@code pid} that hangs in the busy {@code shell}, by other means than that shell. */
    protected abstract void stop(RemoteShell shell, long pid);

    /** Whether a command whose shell died before taking it may be tried once more. */
    public boolean mayRetry() {
        return true;
    }

    /**
     * The failure when a shell did not take a command ({@code verb} is {@code run} or {@code start}),
     * after the retry or when no retry is allowed.
     */
    protected abstract NetnsLabException notStarted(String verb, Command command, RemoteShell.NotStarted cause);

    /** The failure when a shell took the command and then went away: it may or may not have run. */
    protected abstract NetnsLabException lost(String verb, Command command, RemoteShell.Lost cause);

    /** What a pool that waited {@code waited} for a free shell says; only pools with a limit wait. */
    public NetnsLabException allBusy(Duration waited) {
        return new NetnsLabException("All " + maxShells() + " shells of " + describe() + " stayed busy for "
                + waited.toMillis() + " ms; run fewer commands at once");
    }

    @Override
    public ExecResult run(Command command) {
        for (int attempt = 1; ; attempt++) {
            RemoteShell shell = borrow(command.timeout());
            ExecResult result;
            try {
                result = shell.run(command, pid -> stop(shell, pid), describe());
            } catch (RemoteShell.NotStarted e) {
                discard(shell);
                if (attempt >= 2 || !mayRetry()) {
                    throw notStarted("run", command, e);
                }
                continue;
            } catch (RemoteShell.Lost e) {
                discard(shell);
                throw lost("run", command, e);
            } catch (InterruptedException e) {
                discard(shell);
                Thread.currentThread().interrupt();
                throw new NetnsLabException("Interrupted while running " + command.render() + " on " + describe(), e);
            } catch (RuntimeException e) {
                release(shell);
                throw e;
            }
            release(shell);
            return RemoteShell.checkStarted(result, shell.prefix(), describe());
        }
    }

    @Override
    public BackgroundProcess start(Command command) {
        for (int attempt = 1; ; attempt++) {
            RemoteShell shell = borrow(CONTROL_TIMEOUT);
            try {
                long pid = shell.start(command);
                release(shell);
                ShellProcess process = new ShellProcess(this, pid, command);
                processes.add(process);
                return process;
            } catch (RemoteShell.NotStarted e) {
                discard(shell);
                if (attempt >= 2 || !mayRetry()) {
                    throw notStarted("start", command, e);
                }
            } catch (RemoteShell.Lost e) {
                discard(shell);
                throw lost("start", command, e);
            } catch (InterruptedException e) {
                discard(shell);
                Thread.currentThread().interrupt();
                throw new NetnsLabException("Interrupted while starting " + command.render() + " on " + describe(), e);
            } catch (RuntimeException e) {
                release(shell);
                throw e;
            }
        }
    }

    /** Checks ({@code alive}: 0 while it runs) or stops ({@code stop}) a process this pool started. */
    @Override
    public int control(String action, long pid, Duration timeout) {
        return run(Command.of(timeout, RemoteScript.processControl(action, pid)))
                .exitCode();
    }

    @Override
    public void forget(ShellProcess process) {
        processes.remove(process);
    }

    /** The background processes this pool started that may still run. */
    public List<ShellProcess> processes() {
        return List.copyOf(processes);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Marks the pool closed and hands back its idle shells, for the subclass to close with what it owns. */
    public List<RemoteShell> closeIdle() {
        List<RemoteShell> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
            notifyAll();
        }
        processes.clear();
        return toClose;
    }

    private RemoteShell borrow(Duration wait) {
        Deadline deadline = Deadline.in(wait);
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new NetnsLabException("The runner of " + describe() + " is closed");
                }
                RemoteShell shell = idle.pollFirst();
                if (shell != null) {
                    if (shell.isUsable()) {
                        return shell;
                    }
                    shell.close();
                    shells--;
                    continue;
                }
                if (shells < maxShells()) {
                    shells++;
                    break;
                }
                if (deadline.isPast()) {
                    throw allBusy(wait);
                }
                try {
                    wait(Math.max(1, deadline.remaining().toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NetnsLabException("Interrupted while waiting for a free shell on " + describe(), e);
                }
            }
        }
        try {
            return openShell();
        } catch (RuntimeException e) {
            synchronized (this) {
                shells--;
                notifyAll();
            }
            throw e;
        }
    }

    private synchronized void release(RemoteShell shell) {
        if (idle.contains(shell)) {
            throw new IllegalStateException("A shell was released twice; this is a bug in netns-lab");
        }
        if (!closed && shell.isUsable()) {
            idle.addFirst(shell);
        } else {
            shell.close();
            shells--;
        }
        notifyAll();
    }

    private synchronized void discard(RemoteShell shell) {
        shell.close();
        shells--;
        notifyAll();
    }
}
