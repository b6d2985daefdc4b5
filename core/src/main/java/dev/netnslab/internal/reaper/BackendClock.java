package dev.netnslab.internal.reaper;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a machine says about owners, the facts {@link Owner#judge} needs: its boot id, its uptime
 * (the clock leases are measured on) and the start times of the processes asked about.
 *
 * @param bootId        the machine's boot id
 * @param uptimeSeconds the machine's uptime, whole seconds
 * @param startTimes    pid to start time (field 22 of {@code /proc/PID/stat}) of those pids that exist and
 *                      have not ended
 */
record BackendClock(String bootId, long uptimeSeconds, Map<Long, Long> startTimes) {

    private static final String BOOT_ID = "/proc/sys/kernel/random/boot_id";
    private static final String UPTIME = "/proc/uptime";

    /** The backend's machine, read with one {@code cat} through its runner. */
    static BackendClock read(CommandRunner runner, Collection<Long> pids) {
        List<String> argv = new ArrayList<>(List.of("cat", BOOT_ID, UPTIME));
        pids.stream().distinct().forEach(pid -> argv.add(stat(pid)));
        // cat exits 1 when a pid is gone, and still prints everything else: that is the answer we want.
        ExecResult result = runner.run(Command.of(Duration.ofSeconds(10), argv));
        List<String> lines = result.stdout().lines().toList();
        if (lines.size() < 2) {
            throw new NetnsLabException(
                    "Could not read the boot id and uptime of " + runner.describe() + "\n" + result.describe());
        }
        return parse(lines);
    }

    /** This machine, read by the JVM itself: no process is started. */
    static BackendClock here(Collection<Long> pids) {
        List<String> lines = new ArrayList<>();
        try {
            lines.add(Files.readString(Path.of(BOOT_ID)));
            lines.add(Files.readString(Path.of(UPTIME)));
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Could not read the boot id and uptime of this machine: " + e.getMessage()
                            + ". netns-lab needs Linux with /proc mounted.",
                    e);
        }
        for (long pid : pids) {
            try {
                lines.add(Files.readString(Path.of(stat(pid))));
            } catch (IOException e) {
                // no such process: its line is missing, which is the answer
            }
        }
        return parse(lines);
    }

    private static BackendClock parse(List<String> lines) {
        long uptime = (long) Double.parseDouble(lines.get(1).strip().split("\\s+")[0]);
        Map<Long, Long> starts = new HashMap<>();
        for (String line : lines.subList(2, lines.size())) {
            try {
                if (Owner.isZombie(line)) {
                    continue; // it has ended; only its exit status is left for its parent to collect
                }
                starts.put(Owner.pid(line), Owner.startTime(line));
            } catch (RuntimeException e) {
                // not a stat line; a pid counts as gone only when its line is missing, so ignore it
            }
        }
        return new BackendClock(lines.get(0).strip(), uptime, Map.copyOf(starts));
    }

    private static String stat(long pid) {
        return "/proc/" + pid + "/stat";
    }
}
