package dev.netnslab.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
 * A test's own OpenSSH server: its folder (host and client keys, authorized_keys, known_hosts,
 * sshd_config), its process, the wait until it listens, and its stop (by pid) and cleanup. The
 * fixtures {@link TestSshd} (on this machine's loopback) and {@link SecondMachine} (inside a
 * namespace) are built on it.
 */
final class SshdServer implements AutoCloseable {

    static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final String address;
    private final int port;
    private Process process;

    private SshdServer(Path dir, String address, int port) {
        this.dir = dir;
        this.address = address;
        this.port = port;
    }

    /**
     * Makes a private folder and writes a server's files for {@code address:port} into it.
     *
     * @param ecdsaToo give the server an ECDSA host key besides its ed25519 one, and list only the
     *                 ECDSA key in known_hosts
     */
    static SshdServer prepare(String folderPrefix, String address, int port, boolean ecdsaToo) {
        Path dir;
        try {
            dir = Files.createTempDirectory(
                    folderPrefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SshdServer server = new SshdServer(dir, address, port);
        try {
            server.write(ecdsaToo);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void write(boolean ecdsaToo) throws IOException {
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
        String host = port == 22 ? address : "[" + address + "]:" + port;
        Files.writeString(
                dir.resolve("known_hosts"),
                host + " " + publicKey(dir.resolve(ecdsaToo ? "host_ecdsa.pub" : "host_ed25519.pub")));
        Files.writeString(
                dir.resolve("sshd_config"),
                String.join(
                        "\n",
                        "Port " + port,
                        "ListenAddress " + address,
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
    }

    /**
     * Starts the server, run by {@code prefix} (such as {@code ip netns exec NS}, which execs it, so
     * the process started is the server itself), and waits until it listens.
     */
    void start(List<String> prefix) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(
                SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString()));
        try {
            process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sshd.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            await("sshd to listen on " + address + ":" + port)
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(this::listening);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "sshd did not listen on " + address + ":" + port + " within 10 s: " + log(), e);
        }
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("sshd exited with " + process.exitValue() + ": " + log());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Path dir() {
        return dir;
    }

    /** The server process, once started. */
    Process process() {
        return process;
    }

    /** The server's ed25519 host key line ({@code ssh-ed25519 AAAA...}). */
    String hostKey() {
        return publicKey(dir.resolve("host_ed25519.pub"));
    }

    String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "<no log: " + e.getMessage() + ">";
        }
    }

    /** Stops the server it started, by its pid, and removes the folder. */
    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    private static String publicKey(Path file) {
        try {
            String[] words = Files.readString(file).strip().split(" ");
            return words[0] + " " + words[1] + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void keygen(Path file) throws IOException {
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
}
