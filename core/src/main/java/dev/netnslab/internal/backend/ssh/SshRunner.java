package dev.netnslab.internal.backend.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.RemoteScript;
import dev.netnslab.internal.exec.RemoteShell;
import dev.netnslab.internal.exec.ShellPool;
import dev.netnslab.internal.exec.ShellProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
public final class SshRunner extends ShellPool {

    private final SshConnection connection;
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
                        + " is not root and cannot use sudo without a password: "
                        + probe.stderr().strip()
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
        if (isClosed()) {
            return;
        }
        // Stopped while the runner still runs commands: stopping one is a command.
        for (ShellProcess process : processes()) {
            try {
                process.close();
            } catch (RuntimeException e) {
                // best effort: when the host is unreachable, there is nothing more to do from here
            }
        }
        closeIdle().forEach(RemoteShell::close);
        connection.disconnect();
    }

    @Override
    public int maxShells() {
        return connection.target().shells();
    }

    @Override
    public NetnsLabException allBusy(Duration waited) {
        return new NetnsLabException("All " + maxShells() + " shells on " + describe() + " stayed busy for "
                + waited.toMillis() + " ms; raise netnslab.ssh.shells or run fewer commands at once");
    }

    @Override
    public NetnsLabException notStarted(String verb, Command command, RemoteShell.NotStarted cause) {
        return new NetnsLabException(
                "Could not " + verb + " " + command.render() + " on " + describe() + ": " + cause.getMessage()
                        + (verb.equals("run") ? ", twice in a row" : ""),
                cause);
    }

    @Override
    public NetnsLabException lost(String verb, Command command, RemoteShell.Lost cause) {
        return verb.equals("run")
                ? new NetnsLabException("Lost the connection to " + describe() + ": " + cause.getMessage()
                        + ". The next command connects again.")
                : new NetnsLabException("Lost the connection to " + describe() + " while starting " + command.render()
                        + "; it may or may not be running");
    }

    /** Stops a command that hangs in {@code shell}: on a channel of its own, since that shell is busy. */
    @Override
    public void stop(RemoteShell shell, long pid) {
        List<String> argv = new ArrayList<>(shell.prefix());
        argv.addAll(RemoteScript.processControl("stop", pid));
        connection.runOnce(argv, CONTROL_TIMEOUT);
    }

    /**
     * Copies the host's file {@code remote} to {@code local} on this machine over SFTP, on the
     * runner's session (connected again once when it has dropped). The file is written next to
     * {@code local} first and moved into place, so a reader never sees half a copy.
     *
     * @throws NetnsLabException when the file cannot be read there or written here
     */
    public void download(String remote, Path local) {
        Duration timeout = connection.target().connectTimeout();
        Exception first = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            Session session = connection.session();
            ChannelSftp sftp = null;
            try {
                sftp = (ChannelSftp) session.openChannel("sftp");
                sftp.connect((int) timeout.toMillis());
                Path partial = local.resolveSibling(local.getFileName() + ".part");
                Files.createDirectories(local.toAbsolutePath().getParent());
                sftp.get(remote, partial.toString());
                Files.move(partial, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (JSchException e) {
                first = first == null ? e : first;
                if (!session.isConnected()) {
                    connection.reset(session);
                }
            } catch (SftpException | IOException e) {
                throw new NetnsLabException(
                        "Could not copy " + remote + " from " + connection.where() + " to " + local + " over SFTP: "
                                + e.getMessage() + ". The host's sshd needs the sftp subsystem, and user "
                                + connection.target().user() + " must be able to read the file.",
                        e);
            } finally {
                if (sftp != null) {
                    sftp.disconnect();
                }
            }
        }
        throw new NetnsLabException(
                "Could not open an SFTP channel to " + connection.where() + " to copy " + remote + ": "
                        + first.getMessage(),
                first);
    }

    /** Opens a shell; when the session turns out to be dead, connects again once. */
    @Override
    public RemoteShell openShell() {
        Duration timeout = connection.target().connectTimeout();
        Exception first = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            Session session = connection.session();
            try {
                RemoteShell shell = RemoteShell.open(session, timeout);
                prefix = shell.prefix();
                return shell;
            } catch (JSchException | RemoteShell.NotStarted e) {
                first = first == null ? e : first;
                if (!session.isConnected()) {
                    // Other shells may be busy on this session; only a broken session is dropped.
                    connection.reset(session);
                }
            }
        }
        throw new NetnsLabException(
                "Could not open a shell on " + connection.where() + ": " + first.getMessage()
                        + ". If the server limits channels per connection (sshd's MaxSessions, 10 by default), lower "
                        + "netnslab.ssh.shells (now " + connection.target().shells() + ")",
                first);
    }
}
