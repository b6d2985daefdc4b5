package dev.netnslab.internal.backend.vm;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.reaper.Owner;
import dev.netnslab.internal.reaper.Watchdog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * Where qemu VMs live on disk, in {@code ~/.netnslab/qemu}: one folder per VM ({@code run-PID-START-N}
 * for a run's VM, named after the JVM that owns it; {@code kept} for the VM kept between runs), each
 * with its {@linkplain VmRecord record} {@code vm.record}. A later run reads the records to reuse a
 * kept VM, and sweeps the folders of JVMs that are gone; while a JVM lives, its watchdog waits to
 * do the same for that JVM's folders the moment it dies.
 */
final class QemuFolders {

    private static final System.Logger LOG = System.getLogger("dev.netnslab.backend");
    private static final ConcurrentMap<Path, BackgroundProcess> WATCHDOGS = new ConcurrentHashMap<>();

    private QemuFolders() {}

    static void writeRecord(QemuVm vm, List<String> fingerprint) {
        VmRecord record = new VmRecord(
                vm.dir().getFileName().toString(),
                "qemu",
                Owner.current(),
                Instant.now(),
                Optional.of(new VmRecord.Qemu(
                        vm.process(), vm.port(), vm.tunnelForward(), vm.accel(), vm.kept(), fingerprint)));
        try {
            record.writeTo(vm.dir().resolve(VmRecord.FILE));
        } catch (IOException | IllegalArgumentException e) {
            throw new NetnsLabException("Could not record the qemu VM in " + vm.dir() + ": " + e.getMessage(), e);
        }
    }

    static Optional<VmRecord> readRecord(Path dir) {
        return VmRecord.read(dir.resolve(VmRecord.FILE), dir.getFileName().toString(), "qemu");
    }

    /**
     * The VM recorded in {@code dir} when its qemu still runs (same pid and start time, on this
     * boot) and it was booted with {@code fingerprint}; else empty. Whether it answers is for the
     * caller to check.
     */
    static Optional<QemuVm> recorded(Path dir, List<String> fingerprint) {
        return readRecord(dir)
                .flatMap(VmRecord::qemu)
                .filter(qemu ->
                        qemu.fingerprint().equals(fingerprint) && qemu.process().isAlive())
                .map(qemu -> new QemuVm(dir, qemu.process(), qemu.port(), qemu.tunnelForward(), true, qemu.accel()));
    }

    /** Stops whatever a stale record in {@code dir} still names, and removes the folder. */
    static void discard(Path dir) {
        readRecord(dir).flatMap(VmRecord::qemu).map(VmRecord.Qemu::process).ifPresent(QemuFolders::stop);
        deleteTree(dir);
    }

    /**
     * Stops a VM's qemu: SIGTERM (qemu exits at once, the guest is thrown away), then SIGKILL if it
     * is still there after a few seconds. Only while it is that very process: once its pid has
     * another start time, it is left alone.
     */
    static void stop(Owner qemu) {
        if (!qemu.isAlive()) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(qemu.pid());
        handle.ifPresent(ProcessHandle::destroy);
        Deadline deadline = Deadline.in(Duration.ofSeconds(5));
        while (qemu.isAlive() && !deadline.isPast()) {
            deadline.sleep(Duration.ofMillis(100), "for qemu (pid " + qemu.pid() + ") to exit");
        }
        if (qemu.isAlive()) {
            handle.ifPresent(ProcessHandle::destroyForcibly);
            // A qemu killed inside a hypervisor call (a guest hung under an unusable KVM) takes a moment
            // to go: wait for it, so that a run that has ended has no qemu left.
            Deadline gone = Deadline.in(Duration.ofSeconds(20));
            while (qemu.isAlive() && !gone.isPast()) {
                gone.sleep(Duration.ofMillis(100), "for qemu (pid " + qemu.pid() + ") to go after SIGKILL");
            }
        }
    }

    /**
     * Stops the VMs of dead JVMs that were not kept and removes their folders: the second line of
     * defence behind the watchdog. A folder is named after its JVM ({@code run-PID-START-...}), so
     * the owner can be judged even when the JVM died before it wrote the record; the record, when
     * there is one, tells whether it was on an earlier boot of this machine.
     */
    static void sweep(Path qemuHome) {
        if (!Files.isDirectory(qemuHome)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(qemuHome, "run-*")) {
            for (Path dir : dirs) {
                String[] parts = dir.getFileName().toString().split("-");
                if (parts.length < 4) {
                    continue;
                }
                try {
                    String boot = readRecord(dir)
                            .map(record -> record.owner().bootId())
                            .orElseGet(Owner::thisBoot);
                    if (!new Owner(Long.parseLong(parts[1]), Long.parseLong(parts[2]), boot).isAlive()) {
                        discard(dir);
                    }
                } catch (IllegalArgumentException e) {
                    // not a folder netns-lab named; leave it alone
                }
            }
        } catch (IOException e) {
            // The next run tries again; a failed sweep must not fail this one.
        }
    }

    /**
     * Makes sure this JVM has a watchdog over the VM folders in {@code qemuHome}: when the JVM dies,
     * even by {@code kill -9}, it stops the qemu of each of this JVM's recorded VMs that is not kept,
     * and removes its folder. One per JVM and folder; one that cannot start is reported and left to
     * the next run's sweep.
     */
    static void watch(Path qemuHome) {
        WATCHDOGS.compute(
                qemuHome, (home, running) -> running != null && running.isAlive() ? running : startWatchdog(home));
    }

    private static BackgroundProcess startWatchdog(Path qemuHome) {
        try {
            Files.createDirectories(
                    qemuHome, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            // No labs live in these folders, so the ip program is never run.
            return Watchdog.start(
                    new LocalRunner(), qemuHome.toString(), Owner.current(), "ip", List.of(qemuHome.toString()));
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "netns-lab: could not start the watchdog of this JVM's qemu VMs in " + qemuHome
                            + "; if this JVM is killed, the next run stops them",
                    e);
            return null;
        }
    }

    /** A new folder for a VM of this JVM's run (0700: the seed holds the VM's host key). */
    static Path newRunDir(Path qemuHome) {
        Owner owner = Owner.current();
        try {
            Files.createDirectories(
                    qemuHome, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return Files.createTempDirectory(
                    qemuHome,
                    "run-" + owner.pid() + "-" + owner.startTime() + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Could not make a folder for the qemu VM in " + qemuHome + ": " + e.getMessage()
                            + ". Check that it is writable, or point netnslab.home elsewhere",
                    e);
        }
    }

    /** The kept VM's folder, empty and ready for a new VM. */
    static Path newKeptDir(Path qemuHome) {
        Path dir = qemuHome.resolve("kept");
        deleteTree(dir);
        try {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return dir;
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Could not make a folder for the qemu VM in " + qemuHome + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all =
                    new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "netns-lab: could not remove the qemu VM folder " + dir + ": " + e.getMessage());
        }
    }
}
