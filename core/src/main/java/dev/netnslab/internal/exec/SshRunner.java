package dev.netnslab.internal.exec;

import dev.netnslab.BackgroundProcess;

import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs commands on a Linux host over SSH, with JSch. One session per host, connected once and
 * verified against known_hosts; commands go to a few persistent remote shells, so a command costs
 * one round trip instead of a new SSH session and login shell each time.
 *
 * <h2>Faithful argv</h2>
 * Each argv is quoted by {@link ShellQuote} and run through {@code exec}, so the remote process gets
 * exactly the given arguments, as with {@link LocalRunner}. Standard input is passed byte for byte;
 * stdout and stderr come back apart, with the exit code.
 *
 * <h2>Privileges</h2>
 * When the login user is not root, every command runs as {@code sudo -n ARGV...}; the user needs
 * passwordless sudo.
 *
 * <h2>Failures</h2>
 * Every wait is bounded. A command that outlives its timeout is stopped on the host (by its pid)
 * and reported with {@link CommandTimeoutException}. When the connection has dropped, the next
 * command connects again; a command the host had not yet taken is retried once, one it had taken
 * is reported as lost, since it may or may not have run.
 */
public final class SshRunner implements CommandRunner, ShellHost, AutoCloseable {

    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);

    private final SshConnection connection;
    private final Deque<RemoteShell> idle = new ArrayDeque<>();
    private final Set<ShellProcess> processes = ConcurrentHashMap.newKeySet();
    private int shells;
    private boolean closed;
    private volatile List<String> prefix = List.of();

    private SshRunner(SshTarget target) {
        this.connection = new SshConnection(target);
    }

    /**
     * Connects to {@code target} and checks that commands run there (with {@code sudo -n} for a
     * non-root user).
     *
     * @throws NetnsLabException when the host cannot be reached, its host key is unknown or changed,
     *                           the key is refused, or a non-root user has no passwordless sudo
     */
    public static SshRunner connect(SshTarget target) {
        SshRunner runner = new SshRunner(target);
        try {
            ExecResult probe = runner.run(Command.of(target.connectTimeout(), List.of("true")));
            if (!probe.isSuccess()) {
                throw new NetnsLabException("Logged in to " + runner.describe() + ", but user " + target.user()
                        + " is not root and cannot use sudo without a password: " + probe.stderr().strip()
                        + ". Log in as root, or give the user a NOPASSWD rule in /etc/sudoers.d/");
            }
            return runner;
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    /** Where this runner connects to. */
    public SshTarget target() {
        return connection.target();
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
                if (attempt >= 2) {
                    throw new NetnsLabException("Could not run " + command.render() + " on " + describe()
                            + ": " + e.getMessage() + ", twice in a row", e);
                }
                continue;
            } catch (RemoteShell.Lost e) {
                discard(shell);
                throw new NetnsLabException("Lost the connection to " + describe() + ": " + e.getMessage()
                        + ". The next command connects again.");
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
                if (attempt >= 2) {
                    throw new NetnsLabException("Could not start " + command.render() + " on " + describe() + ": "
                            + e.getMessage(), e);
                }
            } catch (RemoteShell.Lost e) {
                discard(shell);
                throw new NetnsLabException("Lost the connection to " + describe() + " while starting "
                        + command.render() + "; it may or may not be running");
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

    @Override
    public String describe() {
        List<String> current = prefix;
        return connection.where() + (current.isEmpty() ? "" : " (via " + String.join(" ", current) + ")");
    }

    /**
     * Stops the background processes this runner started that still run, ends the remote shells
     * and disconnects. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        // Stopped while the runner still runs commands: stopping one is a command.
        for (ShellProcess process : processes) {
            try {
                process.close();
            } catch (RuntimeException e) {
                // best effort: when the host is unreachable, there is nothing more to do from here
            }
        }
        List<RemoteShell> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
            notifyAll();
        }
        toClose.forEach(RemoteShell::close);
        connection.disconnect();
    }

    @Override
    public void forget(ShellProcess process) {
        processes.remove(process);
    }

    /** Checks ({@code alive}: 0 while it runs) or stops ({@code stop}) a process this runner started. */
    @Override
    public int control(String action, long pid, Duration timeout) {
        return run(Command.of(timeout, RemoteScript.processControl(action, pid))).exitCode();
    }

    /** Stops a command that hangs in {@code shell}: on a channel of its own, since that shell is busy. */
    private void stop(RemoteShell shell, long pid) {
        List<String> argv = new ArrayList<>(shell.prefix());
        argv.addAll(RemoteScript.processControl("stop", pid));
        connection.runOnce(argv, CONTROL_TIMEOUT);
    }

    private RemoteShell borrow(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new NetnsLabException("The SSH runner for " + describe() + " is closed");
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
                if (shells < connection.target().shells()) {
                    shells++;
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new NetnsLabException("All " + connection.target().shells() + " shells on " + describe()
                            + " stayed busy for " + wait.toMillis() + " ms; raise netnslab.ssh.shells or run fewer commands at once");
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NetnsLabException("Interrupted while waiting for a free shell on " + describe(), e);
                }
            }
        }
        try {
            RemoteShell shell = openShell();
            prefix = shell.prefix();
            return shell;
        } catch (RuntimeException e) {
            synchronized (this) {
                shells--;
                notifyAll();
            }
            throw e;
        }
    }

    /** Opens a shell; when the session turns out to be dead, connects again once. */
    private RemoteShell openShell() {
        Duration timeout = connection.target().connectTimeout();
        Exception first = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            Session session = connection.session();
            try {
                return RemoteShell.open(session, timeout);
            } catch (JSchException | RemoteShell.NotStarted e) {
                first = first == null ? e : first;
                if (!session.isConnected()) {
                    // Other shells may be busy on this session; only a broken session is dropped.
                    connection.reset(session);
                }
            }
        }
        throw new NetnsLabException("Could not open a shell on " + connection.where() + ": " + first.getMessage()
                + ". If the server limits channels per connection (sshd's MaxSessions, 10 by default), lower "
                + "netnslab.ssh.shells (now " + connection.target().shells() + ")", first);
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
