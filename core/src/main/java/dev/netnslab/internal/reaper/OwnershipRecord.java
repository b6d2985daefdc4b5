package dev.netnslab.internal.reaper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who owns a lab, and exactly which system objects it creates. A lab writes its record on the
 * backend's machine before it creates anything, and removes it after a clean teardown, so a record
 * that outlives its owner names precisely what that owner may have left behind, and nothing else.
 *
 * <p>The owner is a JVM, identified by its pid <em>and</em> the start time of that process (field 22
 * of {@code /proc/PID/stat}, in clock ticks since boot), so a pid the kernel has since given to
 * another process is not mistaken for the owner. The boot id of the owner's machine tells whether
 * the pid can be checked on the backend at all (it can when the owner runs on the backend's machine).
 * Owners on another machine (remote backends) hold a lease instead, which they keep renewing.
 *
 * <p>On disk a record is plain {@code key=value} lines, ended by a line {@code end} so that a record
 * cut short by a crash is recognised as incomplete:
 * <pre>
 * netnslab-record=1
 * lab=nl4k2x9q
 * backend=local
 * owner-pid=4242
 * owner-start=5993411
 * owner-boot=5b0c8d1e-...
 * created=2026-11-29T01:45:00Z
 * namespace=host-nl4k2x9q
 * namespace=netns1-nl4k2x9q
 * end
 * </pre>
 *
 * @param labId          the lab's id, {@code nl} and six lower-case letters or digits
 * @param backend        the backend's kind, e.g. {@code local}
 * @param namespaces     the system names of the namespaces the lab creates, each ending in {@code -<labId>}
 * @param ownerPid       the owning JVM's pid on its machine
 * @param ownerStartTime that process' start time in clock ticks since boot
 * @param ownerBootId    the boot id of the owner's machine ({@code /proc/sys/kernel/random/boot_id})
 * @param createdAt      when the record was first written
 * @param lease          for owners on another machine: until when the owner vouches for the lab
 */
public record OwnershipRecord(String labId, String backend, List<String> namespaces, long ownerPid,
                              long ownerStartTime, String ownerBootId, Instant createdAt, Optional<Lease> lease) {

    /** How lab ids look; the record refuses anything else, so a tampered file cannot widen what a sweep deletes. */
    static final Pattern LAB_ID = Pattern.compile("nl[a-z0-9]{6}");
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}");
    private static final Pattern BOOT_ID = Pattern.compile("[0-9a-f-]{1,64}");
    private static final Pattern BACKEND = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final String VERSION = "1";

    /**
     * A lease on a remote backend: the lab is alive while the backend's uptime, in the boot
     * {@code bootId}, is below {@code untilUptimeSeconds}. Measured on the backend's own clock, so
     * the two machines' clocks never need to agree.
     */
    public record Lease(String bootId, long untilUptimeSeconds) {
    }

    public OwnershipRecord {
        Objects.requireNonNull(labId, "labId");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(ownerBootId, "ownerBootId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lease, "lease");
        namespaces = List.copyOf(namespaces);
        check(LAB_ID.matcher(labId).matches(), "lab id", labId, "nl followed by 6 characters a-z or 0-9");
        check(BACKEND.matcher(backend).matches(), "backend", backend, "1-32 characters [A-Za-z0-9_.-]");
        check(BOOT_ID.matcher(ownerBootId).matches(), "owner boot id", ownerBootId, "a boot id such as 5b0c8d1e-...");
        check(ownerPid > 0, "owner pid", String.valueOf(ownerPid), "a positive number");
        check(ownerStartTime >= 0, "owner start time", String.valueOf(ownerStartTime), "a number of clock ticks, 0 or more");
        check(!namespaces.isEmpty(), "namespaces", "[]", "at least one namespace");
        for (String name : namespaces) {
            check(ownsName(labId, name), "namespace", name, "a lab's namespace is NAME-" + labId
                    + ", NAME being 1-32 characters [A-Za-z0-9_.-] not starting with '-'");
        }
        lease.ifPresent(l -> check(BOOT_ID.matcher(l.bootId()).matches(), "lease boot id", l.bootId(), "a boot id"));
    }

    /** Whether {@code systemName} is a name a lab with id {@code labId} can have created. */
    static boolean ownsName(String labId, String systemName) {
        String suffix = "-" + labId;
        return systemName.endsWith(suffix)
                && NAME_PART.matcher(systemName.substring(0, systemName.length() - suffix.length())).matches();
    }

    /** The same record with another lease. */
    OwnershipRecord withLease(Lease newLease) {
        return new OwnershipRecord(labId, backend, namespaces, ownerPid, ownerStartTime, ownerBootId, createdAt,
                Optional.of(newLease));
    }

    /** Whether the process {@code pid} started at {@code startTime} on boot {@code bootId} is this record's owner. */
    boolean isOwnedBy(Owner owner) {
        return owner.pid() == ownerPid && owner.startTime() == ownerStartTime && owner.bootId().equals(ownerBootId);
    }

    /** The file name of this record in the records directory. */
    String fileName() {
        return labId + RecordStore.SUFFIX;
    }

    /** The record as written to disk. */
    String render() {
        StringBuilder out = new StringBuilder();
        line(out, "netnslab-record", VERSION);
        line(out, "lab", labId);
        line(out, "backend", backend);
        line(out, "owner-pid", String.valueOf(ownerPid));
        line(out, "owner-start", String.valueOf(ownerStartTime));
        line(out, "owner-boot", ownerBootId);
        line(out, "created", createdAt.toString());
        lease.ifPresent(l -> {
            line(out, "lease-boot", l.bootId());
            line(out, "lease-until", String.valueOf(l.untilUptimeSeconds()));
        });
        namespaces.forEach(ns -> line(out, "namespace", ns));
        out.append("end\n");
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append('=').append(value).append('\n');
    }

    /**
     * Parses a record read from disk. Nothing in it is trusted: every field is checked as strictly
     * as when the record was made.
     *
     * @throws IllegalArgumentException when the text is not a complete, valid record; the message says why
     */
    static OwnershipRecord parse(String text) {
        String labId = null;
        String backend = null;
        String pid = null;
        String start = null;
        String boot = null;
        String created = null;
        String leaseBoot = null;
        String leaseUntil = null;
        String version = null;
        List<String> namespaces = new ArrayList<>();
        boolean complete = false;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (complete) {
                throw new IllegalArgumentException("the record has text after its 'end' line: " + line);
            }
            if (line.equals("end")) {
                complete = true;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("a record line must be key=value but was: " + line);
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            switch (key) {
                case "netnslab-record": version = value; break;
                case "lab": labId = value; break;
                case "backend": backend = value; break;
                case "owner-pid": pid = value; break;
                case "owner-start": start = value; break;
                case "owner-boot": boot = value; break;
                case "created": created = value; break;
                case "lease-boot": leaseBoot = value; break;
                case "lease-until": leaseUntil = value; break;
                case "namespace": namespaces.add(value); break;
                default: throw new IllegalArgumentException("unknown record key '" + key + "'");
            }
        }
        if (!complete) {
            throw new IncompleteRecordException(labId);
        }
        if (!VERSION.equals(version)) {
            throw new IllegalArgumentException("record format version must be " + VERSION + " but was " + version);
        }
        Optional<Lease> lease = Optional.empty();
        if (leaseBoot != null || leaseUntil != null) {
            lease = Optional.of(new Lease(required("lease-boot", leaseBoot), number("lease-until", leaseUntil)));
        }
        Instant createdAt;
        try {
            createdAt = Instant.parse(required("created", created));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("created must be an ISO-8601 instant but was " + created, e);
        }
        return new OwnershipRecord(required("lab", labId), required("backend", backend), namespaces,
                number("owner-pid", pid), number("owner-start", start), required("owner-boot", boot), createdAt, lease);
    }

    private static String required(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("the record has no " + key + " line");
        }
        return value;
    }

    private static long number(String key, String value) {
        String text = required(key, value);
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(key + " must be a non-negative whole number but was '" + text + "'");
        }
        return Long.parseLong(text);
    }

    private static void check(boolean ok, String field, String value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("ownership record field " + field + " '" + value + "' is invalid: must be " + rule);
        }
    }

    /** A record without its closing {@code end} line: its owner died while writing it, before creating anything. */
    static final class IncompleteRecordException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        IncompleteRecordException(String labId) {
            super("the record of lab " + labId + " has no closing 'end' line; it was cut short while being written");
        }
    }
}
