package dev.netnslab.internal.reaper;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the backend's machine says about owners, read with one {@code cat}: its boot id, its uptime
 * (the clock leases are measured on) and the start times of the processes records name.
 *
 * @param bootId        the backend's boot id
 * @param uptimeSeconds the backend's uptime, whole seconds
 * @param startTimes    pid to start time (field 22 of {@code /proc/PID/stat}) of those pids that exist
 */
record BackendClock(String bootId, long uptimeSeconds, Map<Long, Long> startTimes) {

    /** How an owner's state is judged. */
    enum Verdict { ALIVE, DEAD, UNKNOWN }

    static BackendClock read(CommandRunner runner, Collection<Long> pids) {
        List<String> argv = new ArrayList<>(List.of("cat", "/proc/sys/kernel/random/boot_id", "/proc/uptime"));
        pids.stream().distinct().forEach(pid -> argv.add("/proc/" + pid + "/stat"));
        // cat exits 1 when a pid is gone, and still prints everything else: that is the answer we want.
        ExecResult result = runner.run(Command.of(Duration.ofSeconds(10), argv));
        List<String> lines = result.stdout().lines().toList();
        if (lines.size() < 2) {
            throw new dev.netnslab.NetnsLabException("Could not read the boot id and uptime of " + runner.describe()
                    + "\n" + result.describe());
        }
        long uptime = (long) Double.parseDouble(lines.get(1).split("\\s+")[0]);
        Map<Long, Long> starts = new HashMap<>();
        for (String line : lines.subList(2, lines.size())) {
            try {
                starts.put(Owner.pid(line), Owner.startTime(line));
            } catch (RuntimeException e) {
                // not a stat line; the pid is treated as gone only if its line is missing, so ignore it
            }
        }
        return new BackendClock(lines.get(0).strip(), uptime, starts);
    }

    /**
     * Whether the owner of {@code record} is alive. A lease, when there is one, decides; otherwise
     * an owner on this machine is alive while a process with its pid and start time exists, and an
     * owner on another machine cannot be judged, so it counts as alive.
     */
    Verdict judge(OwnershipRecord record) {
        if (record.lease().isPresent()) {
            OwnershipRecord.Lease lease = record.lease().get();
            // A lease from before the backend's last reboot has expired with everything it covered.
            return lease.bootId().equals(bootId) && uptimeSeconds < lease.untilUptimeSeconds() ? Verdict.ALIVE : Verdict.DEAD;
        }
        if (!record.ownerBootId().equals(bootId)) {
            return Verdict.UNKNOWN;
        }
        Optional<Long> start = Optional.ofNullable(startTimes.get(record.ownerPid()));
        return start.isPresent() && start.get() == record.ownerStartTime() ? Verdict.ALIVE : Verdict.DEAD;
    }
}
