package dev.netnslab.internal.reaper;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who owns a lab, and exactly which system objects it creates. A lab writes its record on the
 * backend's machine before it creates anything, and removes it after a clean teardown, so a record
 * that outlives its owner names precisely what that owner may have left behind, and nothing else.
 *
 * <p>The owner is a JVM ({@link Owner}: its pid, that process' start time and its machine's boot
 * id), so a pid the kernel has since given to another process is not mistaken for the owner. The
 * boot id tells whether the pid can be checked on the backend at all (it can when the owner runs on
 * the backend's machine). Owners on another machine (remote backends) hold a lease instead, which
 * they keep renewing.
 *
 * <p>On disk it has the form every record has ({@link RecordText}):
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
 * @param labId      the lab's id, {@code nl} and six lower-case letters or digits
 * @param backend    the backend's kind, e.g. {@code local}
 * @param namespaces the system names of the namespaces the lab creates, each ending in {@code -<labId>}
 * @param owner      the owning JVM
 * @param createdAt  when the record was first written
 * @param lease      for owners on another machine: until when the owner vouches for the lab
 */
public record OwnershipRecord(
        String labId,
        String backend,
        List<String> namespaces,
        Owner owner,
        Instant createdAt,
        Optional<Owner.Lease> lease) {

    /** How lab ids look; the record refuses anything else, so a tampered file cannot widen what a sweep deletes. */
    static final Pattern LAB_ID = Pattern.compile("nl[a-z0-9]{6}");

    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}");
    private static final Pattern BACKEND = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Set<String> KEYS = Set.of("lab", "backend", "namespace");

    public OwnershipRecord {
        Objects.requireNonNull(labId, "labId");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lease, "lease");
        namespaces = List.copyOf(namespaces);
        Owner.check(LAB_ID.matcher(labId).matches(), "lab id", labId, "nl followed by 6 characters a-z or 0-9");
        Owner.check(BACKEND.matcher(backend).matches(), "backend", backend, "1-32 characters [A-Za-z0-9_.-]");
        Owner.check(!namespaces.isEmpty(), "namespaces", "[]", "at least one namespace");
        for (String name : namespaces) {
            Owner.check(
                    ownsName(labId, name),
                    "namespace",
                    name,
                    "a lab's namespace is NAME-" + labId
                            + ", NAME being 1-32 characters [A-Za-z0-9_.-] not starting with '-'");
        }
    }

    /** Whether {@code systemName} is a name a lab with id {@code labId} can have created. */
    static boolean ownsName(String labId, String systemName) {
        String suffix = "-" + labId;
        return systemName.endsWith(suffix)
                && NAME_PART
                        .matcher(systemName.substring(0, systemName.length() - suffix.length()))
                        .matches();
    }

    /** The same record with another lease. */
    OwnershipRecord withLease(Owner.Lease newLease) {
        return new OwnershipRecord(labId, backend, namespaces, owner, createdAt, Optional.of(newLease));
    }

    /** The file name of this record in the records directory. */
    String fileName() {
        return labId + RecordStore.SUFFIX;
    }

    /** The record as written to disk. */
    String render() {
        return RecordText.begin()
                .with("lab", labId)
                .with("backend", backend)
                .withOwner(owner)
                .with("created", createdAt.toString())
                .withLease(lease)
                .withEach("namespace", namespaces)
                .render();
    }

    /**
     * Parses a record read from disk. Nothing in it is trusted: every field is checked as strictly
     * as when the record was made.
     *
     * @throws IllegalArgumentException when the text is not a complete, valid record; the message says why
     */
    static OwnershipRecord parse(String text) {
        RecordText record = RecordText.parse(text, KEYS, Set.of("namespace"));
        return new OwnershipRecord(
                record.required("lab"),
                record.required("backend"),
                record.all("namespace"),
                record.owner(),
                record.created(),
                record.lease());
    }
}
