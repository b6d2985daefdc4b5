package dev.netnslab.internal.backend.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.Session;
import dev.netnslab.NetnsLabException;
import dev.netnslab.backend.HostKeyException;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.ShellQuote;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * The one JSch {@link Session} to a host: connected on first use, verified against known_hosts,
 * and connected again when it has dropped.
 */
final class SshConnection {

    private final SshTarget target;
    private Session session;

    SshConnection(SshTarget target) {
        this.target = target;
    }

    SshTarget target() {
        return target;
    }

    /** The live session, connecting (again) if there is none. */
    synchronized Session session() {
        if (session == null || !session.isConnected()) {
            session = connect();
        }
        return session;
    }

    /** Drops {@code broken} if it is still the current session, so that the next use connects again. */
    synchronized void reset(Session broken) {
        if (session == broken) {
            disconnect();
        }
    }

    synchronized void disconnect() {
        if (session != null) {
            session.disconnect();
            session = null;
        }
    }

    private Session connect() {
        if (!Files.isReadable(target.knownHosts())) {
            throw new HostKeyException(
                    "Cannot verify the SSH host key of " + where() + ": the known_hosts file "
                            + target.knownHosts()
                            + " does not exist or is unreadable. netns-lab only talks to hosts whose key "
                            + "it knows. Check the host's fingerprint, then add it: ssh-keyscan -p " + target.port()
                            + " "
                            + target.host() + " >> " + target.knownHosts() + " (or set netnslab.ssh.knownHosts)",
                    null);
        }
        if (!Files.isReadable(target.identity())) {
            throw new NetnsLabException("Cannot log in to " + where() + ": the private key " + target.identity()
                    + " does not exist or is unreadable. Set netnslab.ssh.identity to the key whose public half is in "
                    + "the user's ~/.ssh/authorized_keys on the host");
        }
        try {
            JSch jsch = new JSch();
            jsch.setKnownHosts(target.knownHosts().toString());
            checkUsable(jsch);
            jsch.addIdentity(target.identity().toString());
            Session fresh = jsch.getSession(target.user(), target.host(), target.port());
            fresh.setConfig("StrictHostKeyChecking", "yes");
            fresh.setConfig("PreferredAuthentications", "publickey");
            // Ask for the host key types known_hosts holds for this host first; otherwise a server
            // with several keys may show one that known_hosts lacks and be refused. (JSch's default
            // today; set so that a change of default cannot break working setups.)
            fresh.setConfig("prefer_known_host_key_types", "yes");
            // Finds a peer that vanished without closing the connection (a VM paused, a cable pulled).
            fresh.setServerAliveInterval(15_000);
            fresh.setServerAliveCountMax(3);
            // A backend someone forgot to close must not keep the JVM alive.
            fresh.setDaemonThread(true);
            fresh.connect((int) target.connectTimeout().toMillis());
            return fresh;
        } catch (JSchHostKeyException e) {
            throw hostKeyRefused(e);
        } catch (JSchException e) {
            throw connectFailed(e);
        }
    }

    /** Fails early, and says why, for a key JSch cannot read or that needs a passphrase. */
    private void checkUsable(JSch jsch) {
        KeyPair key;
        try {
            key = KeyPair.load(jsch, target.identity().toString());
        } catch (JSchException e) {
            throw unusableKey(e.getMessage(), e);
        }
        try {
            if (key.isEncrypted()) {
                throw unusableKey("it is protected by a passphrase", null);
            }
        } finally {
            key.dispose();
        }
    }

    private NetnsLabException unusableKey(String why, Throwable cause) {
        return new NetnsLabException(
                "Cannot use the private key " + target.identity() + " for " + where() + ": " + why
                        + ". netns-lab needs an unencrypted key in OpenSSH or PEM format (ed25519, ecdsa or rsa); "
                        + "set netnslab.ssh.identity to one",
                cause);
    }

    private HostKeyException hostKeyRefused(JSchException e) {
        String name = target.port() == 22 ? target.host() : "[" + target.host() + "]:" + target.port();
        boolean changed = e instanceof JSchChangedHostKeyException;
        return new HostKeyException(
                "Refused to connect to " + where() + ": its SSH host key "
                        + (changed ? "does not match the one recorded" : "is not listed") + " in " + target.knownHosts()
                        + " (" + e.getMessage()
                        + "). netns-lab verifies host keys and never accepts an unknown or changed one. "
                        + "If this really is your host, compare its fingerprint (on the host: ssh-keygen -lf "
                        + "/etc/ssh/ssh_host_ed25519_key.pub) with the one printed by ssh-keyscan, then "
                        + (changed
                                ? "remove the old entry (ssh-keygen -R '" + name + "' -f " + target.knownHosts()
                                        + ") and "
                                : "")
                        + "add it: ssh-keyscan -p " + target.port() + " " + target.host() + " >> "
                        + target.knownHosts(),
                e);
    }

    private NetnsLabException connectFailed(JSchException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Auth fail") || message.contains("USERAUTH fail") || message.contains("Auth cancel")) {
            return new NetnsLabException(
                    "The SSH server " + where() + " refused the key " + target.identity()
                            + " for user " + target.user() + ". Add " + target.identity() + ".pub to ~" + target.user()
                            + "/.ssh/authorized_keys on the host, or set netnslab.ssh.user / netnslab.ssh.identity",
                    e);
        }
        return new NetnsLabException(
                "Could not connect to " + where() + " within "
                        + target.connectTimeout().toMillis() + " ms: " + message
                        + ". Is sshd running there, and are netnslab.ssh.host and netnslab.ssh.port right?",
                e);
    }

    /**
     * Runs {@code argv} on its own short-lived channel, waiting at most {@code timeout}. Used for
     * what cannot wait for a free shell: stopping a command that hangs in one.
     */
    int runOnce(List<String> argv, Duration timeout) {
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session().openChannel("exec");
            channel.setCommand(ShellQuote.join(argv));
            channel.setInputStream(null);
            channel.connect((int) target.connectTimeout().toMillis());
            Deadline deadline = Deadline.in(timeout);
            while (!channel.isClosed()) {
                if (deadline.isPast()) {
                    throw new NetnsLabException("'" + Command.render(argv) + "' did not finish within "
                            + timeout.toMillis() + " ms on " + where());
                }
                deadline.sleep(Duration.ofMillis(10), "for '" + Command.render(argv) + "' on " + where());
            }
            return channel.getExitStatus();
        } catch (JSchException e) {
            throw new NetnsLabException(
                    "Could not run '" + Command.render(argv) + "' on " + where() + ": " + e.getMessage(), e);
        } finally {
            if (channel != null) {
                channel.disconnect();
            }
        }
    }

    String where() {
        return "ssh " + target;
    }
}
