package dev.netnslab.internal.exec;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs commands inside a {@link UserNamespace}, as its root, for the rootless backend. Commands go
 * to persistent shells that {@code nsenter} started inside, speaking the protocol of the SSH
 * backend's remote shells ({@link RemoteScript}): a command costs the shell's few forks, not a new
 * process from the JVM. Shells are opened as parallel callers need them and reused.
 *
 * <p>Background processes run inside too, known by their pid there, and die with the namespace at
 * the latest.
 */
public final class UserNamespaceRunner implements CommandRunner, ShellHost, AutoCloseable {

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);

    private final UserNamespace namespace;
    private final Deque<RemoteShell> idle = new ArrayDeque<>();
    private final Set<ShellProcess> processes = ConcurrentHashMap.newKeySet();
    private boolean closed;

    private UserNamespaceRunner(UserNamespace namespace) {
        this.namespace = namespace;
    }

    /**
     * Starts a user namespace for this JVM's user and a runner into it.
     *
     * @throws NetnsLabException when the namespace cannot be set up, with what the system said
     */
    public static UserNamespaceRunner start(String userName, Duration timeout) {
        return new UserNamespaceRunner(UserNamespace.start(IdMapping.ofThisProcess(userName), timeout));
    }

    @Override
    public ExecResult run(Command command) {
        for (int attempt = 1; ; attempt++) {
            RemoteShell shell = borrow();
            ExecResult result;
            try {
                result = shell.run(command, this::stop, describe());
            } catch (RemoteShell.NotStarted e) {
                discard(shell);
                if (attempt >= 2 || !namespace.isAlive()) {
                    throw unusable("run " + command.render(), e);
                }
                continue;
            } catch (RemoteShell.Lost e) {
                discard(shell);
                throw unusable("finish " + command.render() + " (" + e.getMessage() + ")", null);
            } catch (InterruptedException e) {
                discard(shell);
                Thread.currentThread().interrupt();
                throw new NetnsLabException("Interrupted while running " + command.render() + " in " + describe(), e);
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
            RemoteShell shell = borrow();
            try {
                long pid = shell.start(command);
                release(shell);
                ShellProcess process = new ShellProcess(this, pid, command);
                processes.add(process);
                return process;
            } catch (RemoteShell.NotStarted e) {
                discard(shell);
                if (attempt >= 2 || !namespace.isAlive()) {
                    throw unusable("start " + command.render(), e);
                }
            } catch (RemoteShell.Lost e) {
                discard(shell);
                throw unusable("start " + command.render() + " (" + e.getMessage() + ")", null);
            } catch (InterruptedException e) {
                discard(shell);
                Thread.currentThread().interrupt();
                throw new NetnsLabException("Interrupted while starting " + command.render() + " in " + describe(), e);
            } catch (RuntimeException e) {
                release(shell);
                throw e;
            }
        }
    }

    @Override
    public int control(String action, long pid, Duration timeout) {
        return run(Command.of(timeout, RemoteScript.processControl(action, pid))).exitCode();
    }

    @Override
    public void forget(ShellProcess process) {
        processes.remove(process);
    }

    /** Stops a command that hangs in a busy shell: through a process of its own. */
    private void stop(long pid) {
        new LocalRunner(namespace.enter()).run(Command.of(CONTROL_TIMEOUT, RemoteScript.processControl("stop", pid)));
    }

    /** The argv prefix that enters the namespace as its root, for a person at a terminal or a one-off process. */
    public List<String> enter() {
        return namespace.enter();
    }

    /** PID 1 of the namespace, as this JVM sees it. */
    public long pid() {
        return namespace.pid();
    }

    /** Whether the namespace still stands. */
    public boolean isAlive() {
        return namespace.isAlive();
    }

    /** Why processes inside cannot call {@code setgroups} (so tcpdump cannot run), or empty when they can. */
    public Optional<String> whyNoSetgroups() {
        return namespace.whyNoSetgroups();
    }

    @Override
    public String describe() {
        return "rootless (user namespace of pid " + namespace.pid() + ")";
    }

    /** Stops the background processes, ends the shells and the namespace, and everything in it. Idempotent. */
    @Override
    public void close() {
        List<RemoteShell> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
        }
        toClose.forEach(RemoteShell::close);
        // Ending PID 1 ends every process inside, those the shells started included.
        namespace.close();
        processes.clear();
    }

    private NetnsLabException unusable(String what, Exception cause) {
        if (!namespace.isAlive()) {
            return new NetnsLabException("Could not " + what + ": the user namespace of the rootless backend (pid "
                    + namespace.pid() + ") has ended, and every lab in it with it. Something killed it, or this JVM "
                    + "is shutting down.", cause);
        }
        return new NetnsLabException("Could not " + what + " in " + describe()
                + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }

    private RemoteShell borrow() {
        synchronized (this) {
            if (closed) {
                throw new NetnsLabException("The runner of " + describe() + " is closed");
            }
            while (!idle.isEmpty()) {
                RemoteShell shell = idle.pollFirst();
                if (shell.isUsable()) {
                    return shell;
                }
                shell.close();
            }
        }
        if (!namespace.isAlive()) {
            throw unusable("open a shell", null);
        }
        Process process;
        try {
            // In this JVM's working directory, as the local backend's commands are: same machine, same paths.
            List<String> argv = new ArrayList<>(namespace.enterIn(System.getProperty("user.dir")));
            argv.add("sh");
            process = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new NetnsLabException("Could not start nsenter to enter " + describe() + ": " + e.getMessage()
                    + ". Install util-linux.", e);
        }
        try {
            // The shells' working files live on the namespace's own /run, so they vanish with it.
            return RemoteShell.over(process, "/run", OPEN_TIMEOUT);
        } catch (RemoteShell.NotStarted e) {
            process.destroyForcibly();
            throw unusable("open a shell", e);
        }
    }

    private synchronized void release(RemoteShell shell) {
        if (!closed && shell.isUsable()) {
            idle.addFirst(shell);
        } else {
            shell.close();
        }
    }

    private void discard(RemoteShell shell) {
        shell.close();
    }
}
