package dev.netnslab.internal.backend.vm;

import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.reaper.Owner;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Where qemu VMs live on disk, in {@code ~/.netnslab/qemu}: one folder per VM ({@code run-PID-START-N}
 * for a run's VM, named after the JVM that owns it; {@code kept} for the VM kept between runs), each
 * with its record {@code vm.properties}. A later run reads the records to reuse a kept VM, and
 * sweeps the folders of JVMs that are gone.
 */
final class QemuFolders {

    static final String RECORD = "vm.properties";

    private QemuFolders() {
    }

    static void writeRecord(QemuVm vm, List<String> fingerprint) {
        Path dir = vm.dir();
        Owner owner = Owner.current();
        Properties record = new Properties();
        record.setProperty("pid", Long.toString(vm.process().pid()));
        record.setProperty("start", Long.toString(vm.process().startTime()));
        record.setProperty("boot-id", owner.bootId());
        record.setProperty("port", Integer.toString(vm.port()));
        record.setProperty("accel", vm.accel());
        record.setProperty("owner-pid", Long.toString(owner.pid()));
        record.setProperty("owner-start", Long.toString(owner.startTime()));
        record.setProperty("keep", Boolean.toString(vm.kept()));
        record.setProperty("fingerprint", String.join("\n", fingerprint));
        try {
            StringWriter text = new StringWriter();
            record.store(text, "netns-lab qemu VM");
            Path temporary = Files.createTempFile(dir, ".record", ".tmp");
            Files.writeString(temporary, text.toString());
            Files.move(temporary, dir.resolve(RECORD), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new NetnsLabException("Could not record the qemu VM in " + dir + ": " + e.getMessage(), e);
        }
    }

    static Optional<Properties> readRecord(Path dir) {
        try {
            Properties record = new Properties();
            record.load(new StringReader(Files.readString(dir.resolve(RECORD))));
            return Optional.of(record);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The VM recorded in {@code dir} when its qemu still runs (same pid and start time, on this
     * boot) and it was booted with {@code fingerprint}; else empty. Whether it answers is for the
     * caller to check.
     */
    static Optional<QemuVm> recorded(Path dir, List<String> fingerprint) {
        Optional<Properties> record = readRecord(dir);
        if (record.isEmpty() || !Owner.current().bootId().equals(record.get().getProperty("boot-id"))
                || !String.join("\n", fingerprint).equals(record.get().getProperty("fingerprint"))) {
            return Optional.empty();
        }
        try {
            ProcessId process = new ProcessId(Long.parseLong(record.get().getProperty("pid")),
                    Long.parseLong(record.get().getProperty("start")));
            if (!process.isAlive()) {
                return Optional.empty();
            }
            return Optional.of(new QemuVm(dir, process, Integer.parseInt(record.get().getProperty("port")), true,
                    record.get().getProperty("accel", "tcg")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stops whatever a stale record in {@code dir} still names, and removes the folder. */
    static void discard(Path dir) {
        readRecord(dir).ifPresent(record -> process(record).ifPresent(ProcessId::stop));
        deleteTree(dir);
    }

    private static Optional<ProcessId> process(Properties record) {
        try {
            if (!Owner.current().bootId().equals(record.getProperty("boot-id"))) {
                return Optional.empty();
            }
            ProcessId process = new ProcessId(Long.parseLong(record.getProperty("pid")),
                    Long.parseLong(record.getProperty("start")));
            return process.isAlive() ? Optional.of(process) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the VMs of dead JVMs that were not kept and removes their folders: the second line of
     * defence behind the watchdog. A folder is named after its JVM ({@code run-PID-START-...}), so
     * the owner can be judged even when the JVM died before it wrote the record.
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
                    ProcessId owner = new ProcessId(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                    if (!owner.isAlive()) {
                        discard(dir);
                    }
                } catch (NumberFormatException e) {
                    // not a folder netns-lab named; leave it alone
                }
            }
        } catch (IOException e) {
            // The next run tries again; a failed sweep must not fail this one.
        }
    }

    /** A new folder for a VM of this JVM's run (0700: the seed holds the VM's host key). */
    static Path newRunDir(Path qemuHome) {
        Owner owner = Owner.current();
        try {
            Files.createDirectories(qemuHome, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return Files.createTempDirectory(qemuHome, "run-" + owner.pid() + "-" + owner.startTime() + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new NetnsLabException("Could not make a folder for the qemu VM in " + qemuHome + ": " + e.getMessage()
                    + ". Check that it is writable, or point netnslab.home elsewhere", e);
        }
    }

    /** The kept VM's folder, empty and ready for a new VM. */
    static Path newKeptDir(Path qemuHome) {
        Path dir = qemuHome.resolve("kept");
        deleteTree(dir);
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return dir;
        } catch (IOException e) {
            throw new NetnsLabException("Could not make a folder for the qemu VM in " + qemuHome + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            System.getLogger("dev.netnslab.backend").log(System.Logger.Level.WARNING,
                    "netns-lab: could not remove the qemu VM folder " + dir + ": " + e.getMessage());
        }
    }
}
