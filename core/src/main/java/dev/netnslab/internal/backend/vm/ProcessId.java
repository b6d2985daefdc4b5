package dev.netnslab.internal.backend.vm;

import dev.netnslab.internal.reaper.Owner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process on this machine by its identity: its pid and its start time (field 22 of
 * {@code /proc/PID/stat}, clock ticks since boot), so that a pid the kernel has since given to
 * another process is never mistaken for it, nor signalled. A VM's qemu, or the JVM that owns a VM.
 */
record ProcessId(long pid, long startTime) {

    /** The process with {@code pid} as it is now, if there is one. */
    static Optional<ProcessId> of(long pid) {
        try {
            return Optional.of(new ProcessId(pid, Owner.startTime(Files.readString(Path.of("/proc/" + pid + "/stat")))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** This JVM. */
    static ProcessId current() {
        Owner owner = Owner.current();
        return new ProcessId(owner.pid(), owner.startTime());
    }

    /** Whether this very process still runs. */
    boolean isAlive() {
        return of(pid).map(now -> now.startTime == startTime).orElse(false);
    }

    /**
     * Stops it: SIGTERM (qemu exits at once, the guest is thrown away), then SIGKILL if it is still
     * there after a few seconds. Does nothing when it is gone.
     */
    void stop() {
        if (!isAlive()) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        handle.ifPresent(ProcessHandle::destroy);
        for (int i = 0; i < 50 && isAlive(); i++) {
            dev.netnslab.internal.Deadline.pause(java.time.Duration.ofMillis(100), "for qemu (pid " + pid + ") to exit");
        }
        if (isAlive()) {
            handle.ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
