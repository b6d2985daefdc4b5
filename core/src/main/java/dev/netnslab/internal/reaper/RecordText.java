package dev.netnslab.internal.reaper;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The file form every netns-lab record has, a lab's ({@link OwnershipRecord}) and a VM's alike:
 * plain {@code key=value} lines, opened by {@code netnslab-record=1} and closed by a line
 * {@code end}, so that a record cut short by a crash is recognised as such. Every record names its
 * owner ({@code owner-pid}, {@code owner-start}, {@code owner-boot}) and when it was
 * {@code created}; it may carry a lease ({@code lease-boot}, {@code lease-until}); every other key
 * belongs to its kind, and some repeat ({@code namespace=}).
 *
 * <p>Reading trusts nothing: a key the kind does not know, a second line of a key that may not
 * repeat, text after {@code end}, or another version makes the whole record invalid.
 */
public final class RecordText {

    private static final String VERSION_KEY = "netnslab-record";
    private static final String VERSION = "1";
    private static final Set<String> COMMON =
            Set.of(VERSION_KEY, "owner-pid", "owner-start", "owner-boot", "created", "lease-boot", "lease-until");

    private final List<Map.Entry<String, String>> lines;

    private RecordText(List<Map.Entry<String, String>> lines) {
        this.lines = List.copyOf(lines);
    }

    /** A new record: its version line, and nothing else yet. */
    public static RecordText begin() {
        return new RecordText(List.of(new SimpleImmutableEntry<>(VERSION_KEY, VERSION)));
    }

    /** This record and one more line. */
    public RecordText with(String key, String value) {
        if (key.isEmpty() || key.contains("=") || key.contains("\n") || key.equals("end") || value.contains("\n")) {
            throw new IllegalArgumentException(
                    "a record line is key=value on one line, but was '" + key + "=" + value + "'");
        }
        List<Map.Entry<String, String>> more = new ArrayList<>(lines);
        more.add(new SimpleImmutableEntry<>(key, value));
        return new RecordText(more);
    }

    /** This record and one line of {@code key} for each value, in order. */
    public RecordText withEach(String key, List<String> values) {
        RecordText text = this;
        for (String value : values) {
            text = text.with(key, value);
        }
        return text;
    }

    /** This record and its owner's lines. */
    public RecordText withOwner(Owner owner) {
        return with("owner-pid", String.valueOf(owner.pid()))
                .with("owner-start", String.valueOf(owner.startTime()))
                .with("owner-boot", owner.bootId());
    }

    /** This record and the lease's lines, if there is one. */
    public RecordText withLease(Optional<Owner.Lease> lease) {
        return lease.map(
                        l -> with("lease-boot", l.bootId()).with("lease-until", String.valueOf(l.untilUptimeSeconds())))
                .orElse(this);
    }

    /** The text written to disk. */
    public String render() {
        return lines.stream()
                        .map(line -> line.getKey() + "=" + line.getValue() + "\n")
                        .collect(Collectors.joining()) + "end\n";
    }

    /**
     * Reads a record whose kind uses {@code keys} (besides the ones every record has), of which
     * {@code repeating} may occur more than once.
     *
     * @throws IncompleteRecordException when its {@code end} line is missing
     * @throws IllegalArgumentException  when it is not a valid record; the message says why
     */
    public static RecordText parse(String text, Set<String> keys, Set<String> repeating) {
        List<Map.Entry<String, String>> lines = new ArrayList<>();
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
            if (!COMMON.contains(key) && !keys.contains(key)) {
                throw new IllegalArgumentException("unknown record key '" + key + "'");
            }
            if (!repeating.contains(key)
                    && lines.stream().anyMatch(l -> l.getKey().equals(key))) {
                throw new IllegalArgumentException("the record has more than one '" + key + "' line");
            }
            lines.add(new SimpleImmutableEntry<>(key, line.substring(eq + 1)));
        }
        RecordText record = new RecordText(lines);
        if (!complete) {
            throw new IncompleteRecordException(
                    record.value("lab").or(() -> record.value("vm")).orElse("(unnamed)"));
        }
        String version = record.value(VERSION_KEY).orElse(null);
        if (!VERSION.equals(version)) {
            throw new IllegalArgumentException("record format version must be " + VERSION + " but was " + version);
        }
        return record;
    }

    /** The value of {@code key}, when the record has it. */
    public Optional<String> value(String key) {
        return values(key).findFirst();
    }

    /** Every value of {@code key}, in order. */
    public List<String> all(String key) {
        return values(key).toList();
    }

    /** The value of {@code key}; throws when the record has no such line. */
    public String required(String key) {
        return value(key).orElseThrow(() -> new IllegalArgumentException("the record has no " + key + " line"));
    }

    /** The value of {@code key} as a non-negative whole number. */
    public long number(String key) {
        String text = required(key);
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(key + " must be a non-negative whole number but was '" + text + "'");
        }
        return Long.parseLong(text);
    }

    /** The owner the record names. */
    public Owner owner() {
        return new Owner(number("owner-pid"), number("owner-start"), required("owner-boot"));
    }

    /** When the record was first written. */
    public Instant created() {
        String created = required("created");
        try {
            return Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("created must be an ISO-8601 instant but was " + created, e);
        }
    }

    /** The lease the record carries, if any. */
    public Optional<Owner.Lease> lease() {
        if (value("lease-boot").isEmpty() && value("lease-until").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Owner.Lease(required("lease-boot"), number("lease-until")));
    }

    private Stream<String> values(String key) {
        return lines.stream().filter(line -> line.getKey().equals(key)).map(Map.Entry::getValue);
    }

    /** A record without its closing {@code end} line: its owner died while writing it. */
    public static final class IncompleteRecordException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        IncompleteRecordException(String name) {
            super("the record of " + name + " has no closing 'end' line; it was cut short while being written");
        }
    }
}
