package dev.netnslab.testing;

import static org.awaitility.Awaitility.await;

import dev.netnslab.internal.backend.ssh.SshTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real OpenSSH server on 127.0.0.1, for tests: its own host key, config, authorized key and
 * known_hosts in a temporary folder, on a free port. Closing it stops the server process it
 * started (by pid) and removes the folder.
 */
public final class TestSshd implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final int port;
    private final Process process;

    private TestSshd(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
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
        try {
            Path dir = Files.createTempDirectory(
                    "netnslab-sshd",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            keygen(dir.resolve("host_ed25519"));
            if (ecdsaToo) {
                run(
                        "/usr/bin/ssh-keygen",
                        "-q",
                        "-t",
                        "ecdsa",
                        "-N",
                        "",
                        "-f",
                        dir.resolve("host_ecdsa").toString());
            }
            keygen(dir.resolve("id_ed25519"));
            Files.copy(dir.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
            // sshd refuses to start without its privilege separation folder, which only a running
            // system sshd would have created.
            Files.createDirectories(Path.of("/run/sshd"));
            int port = freePort();
            Files.writeString(
                    dir.resolve("known_hosts"),
                    "[127.0.0.1]:" + port + " " + (ecdsaToo ? publicKey(dir.resolve("host_ecdsa.pub")) : hostKey(dir)));
            Files.writeString(
                    dir.resolve("sshd_config"),
                    String.join(
                            "\n",
                            "Port " + port,
                            "ListenAddress 127.0.0.1",
                            ecdsaToo ? "HostKey " + dir.resolve("host_ecdsa") : "",
                            "HostKey " + dir.resolve("host_ed25519"),
                            "PidFile " + dir.resolve("sshd.pid"),
                            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                            "PermitRootLogin prohibit-password",
                            "PasswordAuthentication no",
                            "KbdInteractiveAuthentication no",
                            "UsePAM no",
                            "StrictModes no",
                            "MaxSessions 30",
                            "Subsystem sftp internal-sftp",
                            "LogLevel ERROR",
                            ""));
            Process process = new ProcessBuilder(
                            SSHD.toString(),
                            "-D",
                            "-e",
                            "-f",
                            dir.resolve("sshd_config").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sshd.log").toFile())
                    .start();
            TestSshd sshd = new TestSshd(dir, port, process);
            sshd.awaitListening();
            return sshd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The client's private key, authorized for root. */
    public Path identity() {
        return dir.resolve("id_ed25519");
    }

    /** A known_hosts file that holds this server's key. */
    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** The server's host key line ({@code ssh-ed25519 AAAA...}). */
    public String hostKey() {
        return hostKey(dir);
    }

    public Path dir() {
        return dir;
    }

    /** A target for root on this server. */
    public SshTarget target() {
        return SshTarget.of("127.0.0.1", port, "root", identity(), knownHosts());
    }

    /** The pid of the server process this fixture started. */
    public long pid() {
        return process.pid();
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
        return process.toHandle().children().count();
    }

    /**
     * Kills the server processes serving current connections (the listening server's children), as
     * a dropped network would end them. Returns how many it killed.
     */
    public int killConnections() {
        List<ProcessHandle> children = new ArrayList<>();
        process.toHandle().children().forEach(children::add);
        children.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle child : children) {
            child.onExit().orTimeout(5, TimeUnit.SECONDS).join();
        }
        return children.size();
    }

    private void awaitListening() {
        try {
            await("sshd to listen on 127.0.0.1:" + port)
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(this::listening);
        } catch (ConditionTimeoutException e) {
            close();
            throw new IllegalStateException("sshd did not listen on 127.0.0.1:" + port + " within 10 s: " + log(), e);
        }
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("sshd exited with " + process.exitValue() + ": " + log());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "<no log: " + e.getMessage() + ">";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    private static String hostKey(Path dir) {
        return publicKey(dir.resolve("host_ed25519.pub"));
    }

    private static String publicKey(Path file) {
        try {
            String[] words = Files.readString(file).strip().split(" ");
            return words[0] + " " + words[1] + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void keygen(Path file) throws IOException {
        run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "netnslab-test", "-f", file.toString());
    }

    private static void run(String... argv) throws IOException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
