package dev.netnslab.internal.reaper;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.exec.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory of ownership records on a backend's machine. Access goes through the backend's
 * {@link CommandRunner} with plain argv ({@code install}, {@code grep}, {@code rm}), so the same
 * code serves the local kernel and a remote one. Records are written whole by one
 * {@code install -m 0600} fed on standard input: no shell, no temporary world-readable file.
 *
 * <p>When the runner runs commands as this very JVM (the local backend, as root), writing and
 * removing a lab's record are plain file operations instead: every lab writes and removes one, and
 * two processes would cost as much as a third of building a small lab.
 */
final class RecordStore {

    /** Where records live by default: beside {@code /run/netns}, on a tmpfs that a reboot empties along with every namespace. */
    static final String DEFAULT_DIRECTORY = "/run/netnslab/labs";

    static final String SUFFIX = ".lab";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CommandRunner runner;
    private final boolean direct;
    private final String directory;

    /**
     * @param direct whether {@code runner} runs commands as this very JVM, with their privileges, so
     *               that plain file operations here do what its commands would
     */
    RecordStore(CommandRunner runner, boolean direct, String directory) {
        this.runner = runner;
        this.direct = direct;
        this.directory = directory;
    }

    /** The records on {@code kernel}, in {@code directory} there. */
    static RecordStore of(Kernel kernel, String directory) {
        return new RecordStore(kernel.runner(), kernel.sharesThisJvm(), directory);
    }

    String directory() {
        return directory;
    }

    /** Creates the directory (and its parent) as 0700 root-only folders; harmless when they exist. */
    void ensureDirectory() {
        String parent = directory.substring(0, directory.lastIndexOf('/'));
        if (direct) {
            try {
                for (String folder : List.of(parent, directory)) {
                    Path path = Path.of(folder);
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
                }
                return;
            } catch (IOException e) {
                throw new NetnsLabException(
                        "Could not create the ownership records directory " + directory + ": " + e, e);
            }
        }
        run("create the ownership records directory", null, "install", "-d", "-m", "0700", parent, directory);
    }

    /** Writes (or replaces) {@code record} as a 0600 file, recreating the directory if someone removed it. */
    void write(OwnershipRecord record) {
        if (direct) {
            writeDirectly(record);
            return;
        }
        try {
            run(
                    "write the ownership record of lab " + record.labId(),
                    record.render(),
                    "install",
                    "-m",
                    "0600",
                    "/dev/stdin",
                    path(record));
        } catch (NetnsLabException e) {
            ensureDirectory();
            run(
                    "write the ownership record of lab " + record.labId(),
                    record.render(),
                    "install",
                    "-m",
                    "0600",
                    "/dev/stdin",
                    path(record));
        }
    }

    /** Deletes the record of lab {@code labId}; a record that is already gone is fine. */
    void remove(String labId) {
        if (direct) {
            Path path = Path.of(directory, labId + SUFFIX);
            try {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    // rm -f refuses a directory; so does this, rather than delete what is not a record
                    throw new IOException(path + ": Is a directory");
                }
                Files.deleteIfExists(path);
                return;
            } catch (IOException e) {
                throw new NetnsLabException(
                        "Could not remove the ownership record of lab " + labId + " in " + directory + ": "
                                + e.getMessage(),
                        e);
            }
        }
        run("remove the ownership record of lab " + labId, null, "rm", "-f", "--", directory + "/" + labId + SUFFIX);
    }

    /**
     * Every record file with its text, keyed by lab id, read with a single {@code grep} that prefixes
     * each line with its file name. Files whose names are not {@code <labid>.lab} are ignored.
     */
    Map<String, String> readAll() {
        ExecResult result =
                runner.run(Command.of(TIMEOUT, List.of("grep", "-r", "-H", "--include=*" + SUFFIX, "", directory)));
        Map<String, StringBuilder> texts = new LinkedHashMap<>();
        if (result.exitCode() > 1 && !result.stderr().contains("No such file or directory")) {
            throw failure("read the ownership records", result);
        }
        String prefix = directory + "/";
        for (String line : result.stdout().split("\n")) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            int colon = line.indexOf(':', prefix.length());
            if (colon < 0) {
                continue;
            }
            String file = line.substring(prefix.length(), colon);
            if (!file.endsWith(SUFFIX)) {
                continue;
            }
            String labId = file.substring(0, file.length() - SUFFIX.length());
            if (!OwnershipRecord.LAB_ID.matcher(labId).matches()) {
                continue;
            }
            texts.computeIfAbsent(labId, k -> new StringBuilder())
                    .append(line, colon + 1, line.length())
                    .append('\n');
        }
        Map<String, String> out = new LinkedHashMap<>();
        texts.forEach((id, text) -> out.put(id, text.toString()));
        return out;
    }

    /** Writes to a 0600 file beside the record, then renames it into place, so a reader never sees half a record. */
    private void writeDirectly(OwnershipRecord record) {
        Path target = Path.of(path(record));
        Path partial = target.resolveSibling("." + record.fileName() + ".partial");
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(partial);
                Files.writeString(
                        Files.createFile(
                                partial,
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        record.render());
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (NoSuchFileException e) {
                if (attempt > 0) {
                    throw new NetnsLabException(
                            "Could not write the ownership record of lab " + record.labId() + ": " + e, e);
                }
                ensureDirectory();
            } catch (IOException e) {
                throw new NetnsLabException(
                        "Could not write the ownership record of lab " + record.labId() + " in " + directory + ": " + e,
                        e);
            }
        }
    }

    private String path(OwnershipRecord record) {
        return directory + "/" + record.fileName();
    }

    private void run(String what, String stdin, String... argv) {
        Command command = Command.of(TIMEOUT, new ArrayList<>(List.of(argv)));
        if (stdin != null) {
            command = command.withStdin(stdin);
        }
        ExecResult result = runner.run(command);
        if (!result.isSuccess()) {
            throw failure(what, result);
        }
    }

    private NetnsLabException failure(String what, ExecResult result) {
        return new NetnsLabException("Could not " + what + " in " + directory + " on " + runner.describe()
                + ". netns-lab keeps these records so that a crashed JVM's labs can be cleaned up; it needs root there.\n"
                + result.describe());
    }
}
