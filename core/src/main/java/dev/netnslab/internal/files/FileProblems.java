package dev.netnslab.internal.files;

import dev.netnslab.InvalidLabSpecException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What reading one topology file found: the problems that refuse it, each naming the file and the
 * line, and the notes on what was read but has no meaning for a namespace, logged as one INFO line.
 */
final class FileProblems {

    private static final System.Logger LOG = System.getLogger("dev.netnslab.files");

    private final Path file;
    private final List<InvalidLabSpecException> found = new ArrayList<>();
    private final Set<String> ignored = new LinkedHashSet<>();
    private final Set<String> unknown = new LinkedHashSet<>();

    FileProblems(Path file) {
        this.file = file;
    }

    /** The file, for messages. */
    Path file() {
        return file;
    }

    /** Refuses line {@code line} of {@code in} (a file of the lab), holding {@code text}, for {@code expected}. */
    void add(Path in, int line, String text, String expected) {
        found.add(new InvalidLabSpecException(in + " line " + line, text, expected));
    }

    /** Refuses line {@code line} of the file, holding {@code text}, for {@code expected}. */
    void add(int line, String text, String expected) {
        add(file, line, text, expected);
    }

    /** Notes a key or option that is read and has no meaning for a namespace. */
    void ignored(String what) {
        ignored.add(what);
    }

    /** Notes a key the format does not know. */
    void unknown(String what) {
        unknown.add(what);
    }

    boolean hasProblems() {
        return !found.isEmpty();
    }

    /** Throws what refuses the file: the problem, or all of them together. */
    void throwIfAny() {
        if (found.size() == 1) {
            throw found.get(0);
        }
        if (!found.isEmpty()) {
            throw new InvalidLabSpecException(found);
        }
    }

    /** Logs, in one INFO line, what the lab keeps of the file and what it leaves out. */
    void log(String what, List<String> notes) {
        List<String> parts = new ArrayList<>(notes);
        if (!unknown.isEmpty()) {
            parts.add("unknown keys, ignored: " + String.join(", ", unknown));
        }
        if (!ignored.isEmpty()) {
            parts.add("no meaning for a namespace, ignored: " + String.join(", ", ignored));
        }
        if (!parts.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, () -> what + ": " + String.join("; ", parts));
        }
    }
}
