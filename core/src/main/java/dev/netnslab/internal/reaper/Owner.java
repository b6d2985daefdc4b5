package dev.netnslab.internal.reaper;

import dev.netnslab.NetnsLabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A process identified so that pid reuse cannot fool anyone: its pid, its start time (field 22 of
 * {@code /proc/PID/stat}, clock ticks since boot) and its machine's boot id. It names the JVM that
 * owns a lab or a VM in their records, and the qemu a VM record names. Whether such a process is
 * still alive is judged here, and nowhere else.
 *
 * @param pid       the process id on its machine
 * @param startTime when it started, in clock ticks since its machine booted
 * @param bootId    its machine's boot id ({@code /proc/sys/kernel/random/boot_id}) at the time
 */
public record Owner(long pid, long startTime, String bootId) {

    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final Pattern BOOT_ID_SHAPE = Pattern.compile("[0-9a-f-]{1,64}");

    /** How an owner stands. */
    public enum Verdict {
        /** It runs, or its lease still holds. */
        ALIVE,
        /** It is gone: no process with its pid and start time, or its lease ran out. */
        DEAD,
        /** It ran on another boot than the judging machine's, and has no lease that could say more. */
        UNKNOWN
    }

    /**
     * An owner's promise on a machine where its pid means nothing (a remote backend): it is alive
     * while that machine's uptime, in the boot {@code bootId}, is below {@code untilUptimeSeconds}.
     * Measured on that machine's own clock, so the two machines' clocks never need to agree.
     */
    public record Lease(String bootId, long untilUptimeSeconds) {

        public Lease {
            Objects.requireNonNull(bootId, "bootId");
            check(BOOT_ID_SHAPE.matcher(bootId).matches(), "lease boot id", bootId, "a boot id such as 5b0c8d1e-...");
        }
    }

    public Owner {
        Objects.requireNonNull(bootId, "bootId");
        check(pid > 0, "owner pid", String.valueOf(pid), "a positive number");
        check(startTime >= 0, "owner start time", String.valueOf(startTime), "a number of clock ticks, 0 or more");
        check(BOOT_ID_SHAPE.matcher(bootId).matches(), "owner boot id", bootId, "a boot id such as 5b0c8d1e-...");
    }

    /** This JVM. */
    public static Owner current() {
        long pid = ProcessHandle.current().pid();
        try {
            return new Owner(pid, startTime(Files.readString(Path.of("/proc/" + pid + "/stat"))), thisBoot());
        } catch (IOException | RuntimeException e) {
            throw new NetnsLabException(
                    "Could not identify this JVM (pid " + pid + ") for the records of what it owns: " + e.getMessage()
                            + ". netns-lab needs Linux with /proc mounted.",
                    e);
        }
    }

    /** The process {@code pid} of this machine as it is now; empty when there is none. */
    public static Optional<Owner> running(long pid) {
        return Optional.ofNullable(BackendClock.here(List.of(pid)).startTimes().get(pid))
                .map(start -> new Owner(pid, start, thisBoot()));
    }

    /** This machine's boot id; it changes with every boot. */
    public static String thisBoot() {
        try {
            return Files.readString(BOOT_ID).strip();
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Could not read " + BOOT_ID + ": " + e.getMessage() + ". netns-lab needs Linux with /proc mounted.",
                    e);
        }
    }

    /**
     * Whether this owner is alive, judged from what {@code there}, the machine that holds its
     * record, says now. A lease, when there is one, decides. Otherwise an owner of the same boot is
     * alive while a process with its pid has its start time; an owner of another boot cannot be
     * judged from its pid.
     */
    Verdict judge(Optional<Lease> lease, BackendClock there) {
        if (lease.isPresent()) {
            // A lease from before the machine's last reboot has expired with everything it covered.
            return lease.get().bootId().equals(there.bootId())
                            && there.uptimeSeconds() < lease.get().untilUptimeSeconds()
                    ? Verdict.ALIVE
                    : Verdict.DEAD;
        }
        if (!bootId.equals(there.bootId())) {
            return Verdict.UNKNOWN;
        }
        Long now = there.startTimes().get(pid);
        return now != null && now == startTime ? Verdict.ALIVE : Verdict.DEAD;
    }

    /**
     * Whether this process runs on this machine now. One of another boot does not: it ran before a
     * reboot. Use it for records that only this machine's processes write (a VM's, in the home
     * folder, which outlives reboots); a lab's owner may be on another machine, so a lab sweep uses
     * {@link #judge}, which keeps such owners.
     */
    public boolean isAlive() {
        return judge(Optional.empty(), BackendClock.here(List.of(pid))) == Verdict.ALIVE;
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
            throw new IllegalArgumentException(
                    "a /proc/PID/stat line has at least 22 fields, this one " + (fields.length + 2));
        }
        return Long.parseLong(fields[19]);
    }

    /** Whether a {@code /proc/PID/stat} line is a zombie's: a process that has ended, and waits only to be reaped. */
    static boolean isZombie(String statLine) {
        return statLine.substring(statLine.lastIndexOf(')') + 1).strip().startsWith("Z");
    }

    /** Field 1 of a {@code /proc/PID/stat} line. */
    static long pid(String statLine) {
        int space = statLine.indexOf(' ');
        return Long.parseLong(space < 0 ? statLine : statLine.substring(0, space));
    }

    static void check(boolean ok, String field, String value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(
                    "record field " + field + " '" + value + "' is invalid: must be " + rule);
        }
    }
}
