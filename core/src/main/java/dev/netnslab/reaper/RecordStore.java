package dev.netnslab.reaper;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.exec.Command;
import dev.netnslab.exec.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory of ownership records on a backend's machine. Every access goes through the
 * backend's {@link CommandRunner} with plain argv ({@code install}, {@code grep}, {@code rm}), so
 * the same code serves the local kernel and a remote one. Records are written whole by one
 * {@code install -m 0600} fed on standard input: no shell, no temporary world-readable file.
 */
final class RecordStore {

    /** Where records live by default: beside {@code /run/netns}, on a tmpfs that a reboot empties along with every namespace. */
    static final String DEFAULT_DIRECTORY = "/run/netnslab/labs";
    static final String SUFFIX = ".lab";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CommandRunner runner;
    private final String directory;

    RecordStore(CommandRunner runner, String directory) {
        this.runner = runner;
        this.directory = directory;
    }

    String directory() {
        return directory;
    }

    /** Creates the directory (and its parent) as 0700 root-only folders; harmless when they exist. */
    void ensureDirectory() {
        String parent = directory.substring(0, directory.lastIndexOf('/'));
        run("create the ownership records directory", null, "install", "-d", "-m", "0700", parent, directory);
    }

    /** Writes (or replaces) {@code record} as a 0600 file, recreating the directory if someone removed it. */
    void write(OwnershipRecord record) {
        try {
            run("write the ownership record of lab " + record.labId(), record.render(),
                    "install", "-m", "0600", "/dev/stdin", path(record));
        } catch (NetnsLabException e) {
            ensureDirectory();
            run("write the ownership record of lab " + record.labId(), record.render(),
                    "install", "-m", "0600", "/dev/stdin", path(record));
        }
    }

    /** Deletes the record of lab {@code labId}; a record that is already gone is fine. */
    void remove(String labId) {
        run("remove the ownership record of lab " + labId, null, "rm", "-f", "--", directory + "/" + labId + SUFFIX);
    }

    /**
     * Every record file with its text, keyed by lab id, read with a single {@code grep} that prefixes
     * each line with its file name. Files whose names are not {@code <labid>.lab} are ignored.
     */
    Map<String, String> readAll() {
        ExecResult result = runner.run(Command.of(TIMEOUT,
                List.of("grep", "-r", "-H", "--include=*" + SUFFIX, "", directory)));
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
            texts.computeIfAbsent(labId, k -> new StringBuilder()).append(line, colon + 1, line.length()).append('\n');
        }
        Map<String, String> out = new LinkedHashMap<>();
        texts.forEach((id, text) -> out.put(id, text.toString()));
        return out;
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
