package dev.netnslab.testing;

import dev.netnslab.internal.backend.ssh.SshTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on 127.0.0.1, for tests: its own host key, config, authorized key and
 * known_hosts in a temporary folder, on a free port. Closing it stops the server process it
 * started (by pid) and removes the folder.
 */
public final class TestSshd implements AutoCloseable {

    public static final Path SSHD = SshdServer.SSHD;

    private final SshdServer server;
    private final int port;

    private TestSshd(SshdServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Whether this machine has an sshd the tests can start. */
    public static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    public static TestSshd start() {
        return start(false);
    }

    /**
     * @param ecdsaToo give the server an ECDSA host key besides its ed25519 one, and list only the
     *                 ECDSA key in known_hosts: a client that asks for ed25519 first is refused
     */
    public static TestSshd start(boolean ecdsaToo) {
        int port = freePort();
        SshdServer server = SshdServer.prepare("netnslab-sshd", "127.0.0.1", port, ecdsaToo);
        try {
            server.start(List.of());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return new TestSshd(server, port);
    }

    public int port() {
        return port;
    }

    /** The client's private key, authorized for root. */
    public Path identity() {
        return server.dir().resolve("id_ed25519");
    }

    /** A known_hosts file that holds this server's key. */
    public Path knownHosts() {
        return server.dir().resolve("known_hosts");
    }

    /** The server's host key line ({@code ssh-ed25519 AAAA...}). */
    public String hostKey() {
        return server.hostKey();
    }

    public Path dir() {
        return server.dir();
    }

    /** A target for root on this server. */
    public SshTarget target() {
        return SshTarget.of("127.0.0.1", port, "root", identity(), knownHosts());
    }

    /** The pid of the server process this fixture started. */
    public long pid() {
        return server.process().pid();
    }

    /**
     * The server's umask, as the kernel reports it. With {@code UsePAM no} nothing changes it for a
     * login, so it is every session's umask too. It is inherited from the JVM that started the
     * server, so it differs from machine to machine.
     */
    public String umask() {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status")).stream()
                    .filter(line -> line.startsWith("Umask:"))
                    .map(line -> line.substring("Umask:".length()).strip())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Umask line in /proc/" + pid() + "/status"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many connections the server serves now (one child process each). */
    public long connections() {
        return server.process().toHandle().children().count();
    }

    /**
     * Kills the server processes serving current connections (the listening server's children), as
     * a dropped network would end them. Returns how many it killed.
     */
    public int killConnections() {
        List<ProcessHandle> children = new ArrayList<>();
        server.process().toHandle().children().forEach(children::add);
        children.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle child : children) {
            child.onExit().orTimeout(5, TimeUnit.SECONDS).join();
        }
        return children.size();
    }

    public String log() {
        return server.log();
    }

    @Override
    public void close() {
        server.close();
    }

    public static void keygen(Path file) throws IOException {
        SshdServer.keygen(file);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
