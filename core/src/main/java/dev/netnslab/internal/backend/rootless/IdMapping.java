package dev.netnslab.internal.backend.rootless;

import dev.netnslab.internal.backend.local.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the rootless user namespace maps user and group ids. Root inside is always the calling user
 * outside, so what a lab writes (packet captures) belongs to that user.
 *
 * <p>With subordinate ids ({@code /etc/subuid} and {@code /etc/subgid}, granted through the setuid
 * helpers {@code newuidmap} and {@code newgidmap} of the {@code uidmap} package), ids 1 and up map
 * to the user's range as well, and processes inside may call {@code setgroups}. Without them only
 * root exists inside, and the kernel forbids {@code setgroups} there for good; tcpdump, which
 * always sets its groups before it captures, then cannot run.
 *
 * @param uid        the calling user's uid outside
 * @param gid        the calling user's primary gid outside
 * @param userName   the calling user's name, for messages and the subordinate id files
 * @param subUid     the user's first subordinate uid range, if any
 * @param subGid     the user's first subordinate gid range, if any
 * @param mapHelpers whether {@code newuidmap} and {@code newgidmap} are installed
 */
record IdMapping(
        long uid, long gid, String userName, Optional<Range> subUid, Optional<Range> subGid, boolean mapHelpers) {

    /** The map line that keeps every id as it is; only root may write it. */
    static final String ALL = "0 0 4294967295\n";

    /** {@code count} ids from {@code start}, as a line of {@code /etc/subuid} gives them. */
    record Range(long start, long count) {
        Range {
            if (start < 0 || count < 1) {
                throw new IllegalArgumentException(
                        "a subordinate id range needs start >= 0 and count >= 1 but was " + start + ":" + count);
            }
        }
    }

    /** The mapping for this JVM's user, read from {@code /proc/self/status} and {@code /etc/sub[ug]id}. */
    static IdMapping ofThisProcess(String userName) {
        Machine machine = Machine.current();
        long uid = machine.uid();
        long gid = machine.gid();
        return new IdMapping(
                uid,
                gid,
                userName,
                subordinate(read("/etc/subuid"), userName, uid),
                subordinate(read("/etc/subgid"), userName, uid),
                machine.which("newuidmap").isPresent()
                        && machine.which("newgidmap").isPresent());
    }

    /** Why ids beyond root cannot be mapped (so {@code setgroups} is forbidden inside), or empty when they can. */
    Optional<String> whyNoSubordinateIds() {
        if (!mapHelpers) {
            return Optional.of("newuidmap and newgidmap are not installed (package uidmap)");
        }
        if (subUid.isEmpty() || subGid.isEmpty()) {
            return Optional.of(
                    "user " + userName + " has no range in " + (subUid.isEmpty() ? "/etc/subuid" : "/etc/subgid"));
        }
        return Optional.empty();
    }

    /**
     * The first range of {@code /etc/subuid} (or {@code /etc/subgid}) text that belongs to the user,
     * named by {@code userName} or by the number {@code id}, as {@code newuidmap} accepts both.
     * Comments, blank and malformed lines are skipped.
     */
    static Optional<Range> subordinate(String fileText, String userName, long id) {
        for (String line : fileText.split("\n")) {
            String[] fields = line.strip().split(":");
            if (fields.length != 3 || fields[0].startsWith("#")) {
                continue;
            }
            if (!fields[0].equals(userName) && !fields[0].equals(Long.toString(id))) {
                continue;
            }
            try {
                return Optional.of(new Range(Long.parseLong(fields[1]), Long.parseLong(fields[2])));
            } catch (IllegalArgumentException e) {
                // a malformed line; newuidmap skips it as well
            }
        }
        return Optional.empty();
    }

    /** {@code newuidmap PID 0 UID 1 1 START COUNT}: root is the user, ids 1 and up its subordinate range. */
    List<String> newuidmap(long pid) {
        return helperArgv("newuidmap", pid, uid, subUid.orElseThrow());
    }

    /** {@code newgidmap PID 0 GID 1 1 START COUNT}. */
    List<String> newgidmap(long pid) {
        return helperArgv("newgidmap", pid, gid, subGid.orElseThrow());
    }

    private static List<String> helperArgv(String program, long pid, long id, Range range) {
        List<String> argv = new ArrayList<>(List.of(program, Long.toString(pid), "0", Long.toString(id), "1"));
        argv.addAll(List.of("1", Long.toString(range.start()), Long.toString(range.count())));
        return argv;
    }

    /** The one line an unprivileged process may write itself: root inside is {@code id} outside. */
    static String single(long id) {
        return "0 " + id + " 1\n";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
