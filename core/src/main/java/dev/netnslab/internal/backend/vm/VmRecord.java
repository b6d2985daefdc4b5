package dev.netnslab.internal.backend.vm;

import dev.netnslab.internal.reaper.Owner;
import dev.netnslab.internal.reaper.RecordText;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which JVM owns a VM and, for a qemu VM, what a later run needs to find it again or to stop it. It
 * has the form lab records have ({@link RecordText}), so the one watchdog script reads both:
 * <pre>
 * netnslab-record=1
 * vm=run-4242-5993411-8812345
 * backend=qemu
 * owner-pid=4242
 * owner-start=5993411
 * owner-boot=5b0c8d1e-...
 * created=2026-11-29T01:45:00Z
 * qemu-pid=4311
 * qemu-start=5993502
 * port=40123
 * tunnel-port=40124
 * accel=kvm
 * keep=false
 * fingerprint=image=/images/disk.qcow2
 * fingerprint=memory=1G
 * end
 * </pre>
 * A qemu VM's record is {@code vm.record} in its folder; a Multipass VM that a run launched to
 * delete has one in {@code ~/.netnslab/multipass-NAME.owner}, without the qemu lines.
 *
 * @param vm        the qemu VM's folder name ({@code run-PID-START-N}, or {@code kept}), or the Multipass instance
 * @param backend   {@code qemu} or {@code multipass}
 * @param owner     the JVM that launched it
 * @param createdAt when the record was written
 * @param qemu      for a qemu VM, its process and how it was started
 */
record VmRecord(String vm, String backend, Owner owner, Instant createdAt, Optional<Qemu> qemu) {

    /** The file a qemu VM's record has in its folder. */
    static final String FILE = "vm.record";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Set<String> KEYS =
            Set.of("vm", "backend", "qemu-pid", "qemu-start", "port", "tunnel-port", "accel", "keep", "fingerprint");

    /**
     * A qemu VM: its process (on the owner's machine and boot), the port its SSH is forwarded from,
     * the UDP port its tunnel port is forwarded from (0: none, a VM booted by an older version), its
     * accelerator, whether it is kept for later runs, and the settings that shaped its guest.
     */
    record Qemu(Owner process, int port, int tunnelForward, String accel, boolean kept, List<String> fingerprint) {
        Qemu {
            Objects.requireNonNull(process, "process");
            Objects.requireNonNull(accel, "accel");
            fingerprint = List.copyOf(fingerprint);
        }

        /** A VM without a forwarded tunnel port. */
        Qemu(Owner process, int port, String accel, boolean kept, List<String> fingerprint) {
            this(process, port, 0, accel, kept, fingerprint);
        }
    }

    VmRecord {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(qemu, "qemu");
        if (!NAME.matcher(vm).matches()) {
            throw new IllegalArgumentException(
                    "record field vm '" + vm + "' is invalid: must be 1-64 characters [A-Za-z0-9_.-]");
        }
        if (!Set.of("qemu", "multipass").contains(backend)) {
            throw new IllegalArgumentException(
                    "record field backend '" + backend + "' is invalid: must be qemu or multipass");
        }
        if (qemu.isPresent() != backend.equals("qemu")) {
            throw new IllegalArgumentException("a record of a " + backend + " VM "
                    + (qemu.isPresent() ? "has" : "lacks") + " the lines of a qemu process");
        }
    }

    /** The text written to disk. */
    String render() {
        RecordText text = RecordText.begin()
                .with("vm", vm)
                .with("backend", backend)
                .withOwner(owner)
                .with("created", createdAt.toString());
        if (qemu.isPresent()) {
            Qemu q = qemu.get();
            text = text.with("qemu-pid", String.valueOf(q.process().pid()))
                    .with("qemu-start", String.valueOf(q.process().startTime()))
                    .with("port", String.valueOf(q.port()));
            if (q.tunnelForward() > 0) {
                text = text.with("tunnel-port", String.valueOf(q.tunnelForward()));
            }
            text = text.with("accel", q.accel())
                    .with("keep", String.valueOf(q.kept()))
                    .withEach("fingerprint", q.fingerprint());
        }
        return text.render();
    }

    /** Writes the record to {@code file} whole: to a file beside it first, then moved into place. */
    void writeTo(Path file) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), ".record", ".tmp");
        try {
            Files.writeString(temporary, render());
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads a record.
     *
     * @throws IllegalArgumentException when the text is not a complete, valid record; the message says why
     */
    static VmRecord parse(String text) {
        RecordText record = RecordText.parse(text, KEYS, Set.of("fingerprint"));
        Owner owner = record.owner();
        Optional<Qemu> qemu = Optional.empty();
        if (record.value("qemu-pid").isPresent()) {
            long port = record.number("port");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535 but was " + port);
            }
            long tunnelForward = record.value("tunnel-port").isPresent() ? record.number("tunnel-port") : 0;
            if (tunnelForward < 0 || tunnelForward > 65535) {
                throw new IllegalArgumentException("tunnel-port must be 1-65535 but was " + tunnelForward);
            }
            qemu = Optional.of(new Qemu(
                    new Owner(record.number("qemu-pid"), record.number("qemu-start"), owner.bootId()),
                    (int) port,
                    (int) tunnelForward,
                    record.required("accel"),
                    Boolean.parseBoolean(record.required("keep")),
                    record.all("fingerprint")));
        }
        return new VmRecord(record.required("vm"), record.required("backend"), owner, record.created(), qemu);
    }

    /**
     * The record in {@code file}, also in the forms versions before this one wrote, which a home
     * folder can still hold: it outlives reboots, and a kept VM runs until one. A qemu VM's
     * {@code vm.properties} beside the new file, and a Multipass owner file of one line
     * ({@code pid start-time boot-id}). Empty when there is none, or it cannot be read.
     */
    static Optional<VmRecord> read(Path file, String vm, String backend) {
        try {
            if (Files.isRegularFile(file)) {
                String text = Files.readString(file);
                return Optional.of(
                        text.startsWith("netnslab-record=") ? parse(text) : legacyOwner(text, vm, backend, file));
            }
            Path properties = file.resolveSibling("vm.properties");
            if (backend.equals("qemu") && Files.isRegularFile(properties)) {
                return Optional.of(legacyQemu(Files.readString(properties), vm, properties));
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable record names nothing this run may act on.
        }
        return Optional.empty();
    }

    private static VmRecord legacyOwner(String text, String vm, String backend, Path file) throws IOException {
        List<String> words = Arrays.asList(text.strip().split("\\s+"));
        if (words.size() != 3) {
            throw new IllegalArgumentException("not an owner line: " + text.strip());
        }
        return new VmRecord(
                vm,
                backend,
                new Owner(Long.parseLong(words.get(0)), Long.parseLong(words.get(1)), words.get(2)),
                Files.getLastModifiedTime(file).toInstant(),
                Optional.empty());
    }

    private static VmRecord legacyQemu(String text, String vm, Path file) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        String boot = p.getProperty("boot-id");
        Owner owner = new Owner(
                Long.parseLong(p.getProperty("owner-pid")), Long.parseLong(p.getProperty("owner-start")), boot);
        Owner process = new Owner(Long.parseLong(p.getProperty("pid")), Long.parseLong(p.getProperty("start")), boot);
        return new VmRecord(
                vm,
                "qemu",
                owner,
                Files.getLastModifiedTime(file).toInstant(),
                Optional.of(new Qemu(
                        process,
                        Integer.parseInt(p.getProperty("port")),
                        p.getProperty("accel", "tcg"),
                        Boolean.parseBoolean(p.getProperty("keep")),
                        List.of(p.getProperty("fingerprint", "").split("\n")))));
    }
}
