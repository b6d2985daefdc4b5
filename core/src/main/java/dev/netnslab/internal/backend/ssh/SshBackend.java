package dev.netnslab.internal.backend.ssh;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Linux host reached over SSH: any machine, cloud VM or local VM with sshd, iproute2 and either
 * a root login or passwordless sudo. One connection serves every lab until {@link #close()}.
 *
 * <p>Configuration ({@link Settings} keys): {@code netnslab.ssh.host} (required),
 * {@code netnslab.ssh.port} (22), {@code netnslab.ssh.user} (the current user's name),
 * {@code netnslab.ssh.identity} (the first of {@code ~/.ssh/id_ed25519}, {@code id_ecdsa},
 * {@code id_rsa}), {@code netnslab.ssh.knownHosts} ({@code ~/.ssh/known_hosts}). The host's key
 * must be in known_hosts: unknown or changed keys are refused.
 */
public final class SshBackend implements Kernel {

    private final SshRunner runner;
    private final String name;

    private SshBackend(SshRunner runner, String name) {
        this.runner = runner;
        this.name = name;
    }

    /**
     * Connects to the host the settings name and checks it can run labs.
     *
     * @throws BackendUnavailableException when {@code netnslab.ssh.host} is not set, or the host lacks iproute2
     * @throws NetnsLabException           when the host cannot be reached or its host key is not trusted
     */
    public static SshBackend connect(Settings settings) {
        return connect(target(settings));
    }

    /** Connects to {@code target} and checks it can run labs. */
    public static SshBackend connect(SshTarget target) {
        return connect(target, "ssh");
    }

    public static SshBackend connect(SshTarget target, String name) {
        SshRunner runner = SshRunner.connect(target);
        try {
            ExecResult version = runner.run(Command.of(target.connectTimeout(), List.of("ip", "-V")));
            if (!version.isSuccess()) {
                throw new BackendUnavailableException("The host " + runner.describe()
                        + " cannot run labs: 'ip -V' failed ("
                        + version.stderr().strip() + "). Install iproute2 there (apt-get install -y iproute2).");
            }
            return new SshBackend(runner, name);
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    /** The SSH target the settings describe. */
    static SshTarget target(Settings settings) {
        String host = settings.find(Setting.SSH_HOST)
                .orElseThrow(() -> new BackendUnavailableException("The ssh backend needs " + Setting.SSH_HOST
                        + " (the host to connect to), and it is not set. Set it as a "
                        + "JUnit configuration parameter, a -D system property or the environment variable "
                        + Setting.SSH_HOST.environmentName() + "."));
        String user = settings.get(Setting.SSH_USER);
        Path identity = settings.get(Setting.SSH_IDENTITY);
        Path knownHosts = settings.get(Setting.SSH_KNOWN_HOSTS);
        return new SshTarget(
                host,
                settings.get(Setting.SSH_PORT),
                user,
                identity,
                knownHosts,
                settings.get(Setting.SSH_CONNECT_TIMEOUT),
                settings.get(Setting.SSH_SHELLS));
    }

    private static Path defaultIdentity() {
        Optional<Path> found = Stream.of("id_ed25519", "id_ecdsa", "id_rsa")
                .map(file -> Settings.expandHome("~/.ssh/" + file))
                .filter(Files::isReadable)
                .findFirst();
        return found.orElse(Settings.expandHome("~/.ssh/id_ed25519"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CommandRunner runner() {
        return runner;
    }

    @Override
    public boolean sharesThisFilesystem() {
        return false;
    }

    /** Copies the host's file over SFTP, on the backend's SSH session. */
    @Override
    public void copyHere(String path, Path local) {
        runner.download(path, local);
    }

    /** Where the commands go. */
    public SshTarget target() {
        return runner.target();
    }

    /** The SSH host, unless it is a loopback address (a VM's forwarded port, or this machine). */
    @Override
    public Optional<String> underlayHost() {
        String host = target().host();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
        return loopback ? Optional.empty() : Optional.of(host);
    }

    /** Stops what the runner started in the background and disconnects. */
    @Override
    public void close() {
        runner.close();
    }

    @Override
    public String toString() {
        return name + " backend (" + runner.describe() + ")";
    }
}
