package dev.netnslab.internal.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code sysctl -w net.KEY=VALUE ...} without a process: the values are written to
 * {@code /proc/sys/net/...} by the calling thread, and {@code /proc/sys/net} shows the network
 * namespace of the thread that opens it, so on a {@link NamespaceThread} they land in that
 * namespace. Only {@code net.*} keys whose files exist are taken; anything else, or a write the
 * kernel refuses, is left to the {@code sysctl} program, whose message then says what was wrong.
 */
public final class ProcSysctl {

    /** {@code net.} and dot-separated segments of letters, digits, {@code _} and {@code -}: never a path of its own. */
    private static final Pattern KEY = Pattern.compile("net(\\.[a-z0-9_-]+)+");

    private static final Path PROC_SYS = Path.of("/proc/sys");

    private ProcSysctl() {}

    /**
     * Writes every {@code key=value} of {@code assignments}, in order.
     *
     * @return whether all were written; {@code false} when one was not taken or refused (those before it
     *         stay written: writing them again, as the {@code sysctl} program then does, changes nothing)
     */
    public static boolean write(List<String> assignments) {
        List<Path> files = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                return false;
            }
            String key = assignment.substring(0, equals);
            if (!KEY.matcher(key).matches()) {
                return false;
            }
            // A key whose segment holds a dot of its own (eth0.10) has no file under this name.
            Path file = PROC_SYS.resolve(key.replace('.', '/'));
            if (!Files.isRegularFile(file)) {
                return false;
            }
            files.add(file);
            values.add(assignment.substring(equals + 1));
        }
        try {
            for (int i = 0; i < files.size(); i++) {
                Files.writeString(files.get(i), values.get(i) + "\n");
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
