package dev.netnslab.internal.backend.local;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.exec.Command;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A machine as the library's probes see it: its operating system, who this process is to its kernel,
 * the programs on a PATH, and a way to run a short probe command. {@link #current()} is the machine
 * this JVM runs on. A test describes another machine by changing one fact of it ("what if ping were
 * not installed", "what if this were uid 1000 without sudo") with the {@code with...} methods.
 *
 * <p>The kernel's own settings ({@link #sysctl}, {@link #kernelRelease}) are always read from this
 * machine's {@code /proc}: a described machine differs in who runs and what is installed, not in its
 * kernel.
 *
 * @param osName       the JVM's {@code os.name}, such as {@code Linux}
 * @param uid          the effective uid, the one the kernel checks when this process creates
 *                     namespaces ({@code 0} is root; {@code -1} when it cannot be read)
 * @param gid          the effective gid ({@code -1} when it cannot be read)
 * @param pathVariable the PATH programs are looked up in
 * @param probe        how a probe command runs there, as this user
 */
public record Machine(String osName, int uid, int gid, String pathVariable, Probe probe) {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    /** How a machine runs a short command: its result, or empty when the program could not start or timed out. */
    @FunctionalInterface
    public interface Probe {
        /** Runs {@code argv} to completion, within {@code timeout}. */
        Optional<ExecResult> run(List<String> argv, Duration timeout);
    }

    /** The machine this JVM runs on, with this process' PATH; its probes run with zt-exec. */
    public static Machine current() {
        return Current.MACHINE;
    }

    /** Whether its kernel is Linux, the only one with network namespaces. */
    public boolean isLinux() {
        return osName.toLowerCase(Locale.ROOT).contains("linux");
    }

    /** Whether this process is root there. */
    public boolean isRoot() {
        return uid == 0;
    }

    /**
     * The executable {@code program} names, like {@code command -v}: itself when it is a path, else
     * the first executable of that name in the PATH's folders.
     */
    public Optional<Path> which(String program) {
        if (program.contains(File.separator)) {
            Path path = Path.of(program);
            return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        for (String dir : (pathVariable == null ? "" : pathVariable).split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                Path candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Runs {@code argv} as this user, without sudo; empty when it cannot start or takes over 20 s. */
    public Optional<ExecResult> run(List<String> argv) {
        return probe.run(argv, PROBE_TIMEOUT);
    }

    /** Runs {@code argv} as this user, without sudo, within {@code timeout}; empty when it cannot start or times out. */
    public Optional<ExecResult> run(List<String> argv, Duration timeout) {
        return probe.run(argv, timeout);
    }

    /** Runs {@code argv} with root's privileges: as it is when this is root, else through {@code sudo -n}. */
    public Optional<ExecResult> runPrivileged(List<String> argv) {
        if (isRoot()) {
            return run(argv);
        }
        List<String> sudo = new ArrayList<>(List.of("sudo", "-n"));
        sudo.addAll(argv);
        return run(sudo);
    }

    /**
     * A kernel setting, e.g. {@code kernel.unprivileged_userns_clone}, as {@code sysctl -n} prints it;
     * empty when the kernel has no such setting or it cannot be read. Read in one go: a sysctl file
     * read in pieces answers only the first piece.
     */
    public Optional<String> sysctl(String name) {
        Path file = Path.of("/proc/sys", name.replace('.', '/'));
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[4096];
            int read = in.read(buffer);
            return read < 0
                    ? Optional.empty()
                    : Optional.of(new String(buffer, 0, read, StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The kernel release, e.g. {@code 6.1.0-18-amd64}. */
    public Optional<String> kernelRelease() {
        return sysctl("kernel.osrelease");
    }

    /** The same machine with another operating system. */
    public Machine withOsName(String newOsName) {
        return new Machine(newOsName, uid, gid, pathVariable, probe);
    }

    /** The same machine, seen by another user. */
    public Machine withUid(int newUid) {
        return new Machine(osName, newUid, gid, pathVariable, probe);
    }

    /** The same machine with another PATH: programs missing from it are not installed, as far as probes know. */
    public Machine withPath(String newPathVariable) {
        return new Machine(osName, uid, gid, newPathVariable, probe);
    }

    /** The same machine, whose commands answer as {@code newProbe} says. */
    public Machine withProbe(Probe newProbe) {
        return new Machine(osName, uid, gid, pathVariable, newProbe);
    }

    private static Optional<ExecResult> runHere(List<String> argv, Duration timeout) {
        try {
            return Optional.of(new LocalRunner().run(Command.of(timeout, argv)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Uid: and Gid: lines of {@code /proc/self/status} are "real effective saved filesystem". */
    private static int effectiveId(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Integer.parseInt(line.split("\\s+")[2]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc is not mounted: unknown, which counts as unprivileged
        }
        return -1;
    }

    /** Read once: none of these facts changes while the JVM runs. */
    private static final class Current {
        static final Machine MACHINE = new Machine(
                System.getProperty("os.name", "unknown"),
                effectiveId("Uid:"),
                effectiveId("Gid:"),
                System.getenv("PATH"),
                Machine::runHere);
    }
}
