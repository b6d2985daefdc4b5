package dev.netnslab.internal.backend.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Facts about the machine this JVM runs on that more than one part of the library needs, read the
 * same way everywhere: who we are to the kernel, and where a program is.
 */
public final class ThisMachine {

    private ThisMachine() {
    }

    /**
     * The effective uid, from {@code /proc/self/status}: the one the kernel checks when this process
     * creates namespaces ({@code 0} is root). {@code -1} when it cannot be read (not Linux).
     */
    public static int effectiveUid() {
        return effectiveId("Uid:");
    }

    /** The effective gid, read the same way; {@code -1} when it cannot be read. */
    public static int effectiveGid() {
        return effectiveId("Gid:");
    }

    private static int effectiveId(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    // Uid: real effective saved filesystem (Gid: likewise)
                    return Integer.parseInt(line.split("\\s+")[2]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc is not mounted: treat as unprivileged
        }
        return -1;
    }

    /**
     * The value of a kernel setting of this machine, e.g. {@code kernel.unprivileged_userns_clone},
     * as {@code sysctl -n} prints it; empty when the kernel has no such setting or it cannot be read.
     * Read in one go: a sysctl file read in pieces answers only the first piece.
     */
    public static Optional<String> sysctl(String name) {
        Path file = Path.of("/proc/sys", name.replace('.', '/'));
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[4096];
            int read = in.read(buffer);
            return read < 0 ? Optional.empty() : Optional.of(new String(buffer, 0, read, java.nio.charset.StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first executable called {@code program} in the process' PATH, like {@code command -v}. */
    public static Optional<Path> which(String program) {
        return which(program, System.getenv("PATH"));
    }

    /**
     * The executable {@code program} names: itself when it is a path, else the first executable of
     * that name in {@code pathVariable}'s folders.
     */
    public static Optional<Path> which(String program, String pathVariable) {
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
}
