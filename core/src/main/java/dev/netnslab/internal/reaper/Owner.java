package dev.netnslab.internal.reaper;

import dev.netnslab.NetnsLabException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process that owns labs, identified so that pid reuse cannot fool a sweep: its pid, its start
 * time (field 22 of {@code /proc/PID/stat}, clock ticks since boot) and its machine's boot id.
 */
public record Owner(long pid, long startTime, String bootId) {

    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /** This JVM. */
    public static Owner current() {
        long pid = ProcessHandle.current().pid();
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return new Owner(pid, startTime(stat), Files.readString(BOOT_ID).strip());
        } catch (IOException | RuntimeException e) {
            throw new NetnsLabException("Could not identify this JVM (pid " + pid + ") for its labs' ownership records: "
                    + e.getMessage() + ". netns-lab needs Linux with /proc mounted.", e);
        }
    }

    /**
     * Field 22 of a {@code /proc/PID/stat} line. Field 2, the command name, is in parentheses and may
     * itself hold spaces and parentheses, so the fields are counted from the last {@code ')'}.
     */
    public static long startTime(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + statLine);
        }
        // After ") " come fields 3, 4, ...; field 22 is the 20th of them.
        String[] fields = statLine.substring(close + 1).strip().split("\\s+");
        if (fields.length < 20) {
            throw new IllegalArgumentException("a /proc/PID/stat line has at least 22 fields, this one " + (fields.length + 2));
        }
        return Long.parseLong(fields[19]);
    }

    /** Field 1 of a {@code /proc/PID/stat} line. */
    static long pid(String statLine) {
        int space = statLine.indexOf(' ');
        return Long.parseLong(space < 0 ? statLine : statLine.substring(0, space));
    }
}
