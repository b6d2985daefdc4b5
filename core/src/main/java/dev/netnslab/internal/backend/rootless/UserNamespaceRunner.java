package dev.netnslab.internal.backend.rootless;

import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.RemoteScript;
import dev.netnslab.internal.exec.RemoteShell;
import dev.netnslab.internal.exec.ShellPool;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs commands inside a {@link UserNamespace}, as its root, for the rootless backend. Commands go
 * to persistent shells that {@code nsenter} started inside, speaking the protocol of the SSH
 * backend's remote shells ({@link RemoteScript}): a command costs the shell's few forks, not a new
 * process from the JVM. Shells are opened as parallel callers need them and reused.
 *
 * <p>Background processes run inside too, known by their pid there, and die with the namespace at
 * the latest.
 */
public final class UserNamespaceRunner extends ShellPool {

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

    private final UserNamespace namespace;

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
        if (isClosed()) {
            return;
        }
        closeIdle().forEach(RemoteShell::close);
        // Ending PID 1 ends every process inside, those the shells started included.
        namespace.close();
    }

    /** No limit: every shell is a few processes of this machine, and the namespace's own. */
    @Override
    public int maxShells() {
        return Integer.MAX_VALUE;
    }

    /** A shell that died before taking a command is retried only while the namespace stands. */
    @Override
    public boolean mayRetry() {
        return namespace.isAlive();
    }

    @Override
    public NetnsLabException notStarted(String verb, Command command, RemoteShell.NotStarted cause) {
        return unusable(verb + " " + command.render(), cause);
    }

    @Override
    public NetnsLabException lost(String verb, Command command, RemoteShell.Lost cause) {
        return unusable(
                (verb.equals("run") ? "finish " : "start ") + command.render() + " (" + cause.getMessage() + ")", null);
    }

    /** Stops a command that hangs in a busy shell: through a process of its own. */
    @Override
    public void stop(RemoteShell shell, long pid) {
        new LocalRunner(namespace.enter()).run(Command.of(CONTROL_TIMEOUT, RemoteScript.processControl("stop", pid)));
    }

    private NetnsLabException unusable(String what, Exception cause) {
        if (!namespace.isAlive()) {
            return new NetnsLabException(
                    "Could not " + what + ": the user namespace of the rootless backend (pid "
                            + namespace.pid()
                            + ") has ended, and every lab in it with it. Something killed it, or this JVM "
                            + "is shutting down.",
                    cause);
        }
        return new NetnsLabException(
                "Could not " + what + " in " + describe() + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }

    @Override
    public RemoteShell openShell() {
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
            throw new NetnsLabException(
                    "Could not start nsenter to enter " + describe() + ": " + e.getMessage() + ". Install util-linux.",
                    e);
        }
        try {
            // The shells' working files live on the namespace's own /run, so they vanish with it.
            return RemoteShell.over(process, "/run", OPEN_TIMEOUT);
        } catch (RemoteShell.NotStarted e) {
            process.destroyForcibly();
            throw unusable("open a shell", e);
        }
    }
}
