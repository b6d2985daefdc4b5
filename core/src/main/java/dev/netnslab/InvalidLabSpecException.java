package dev.netnslab;

import java.util.List;

/**
 * A lab definition was rejected before anything was created. The message names the attribute, the
 * value that was given and the rule it breaks, e.g.
 * {@code ip '10.200.1.300' is not a valid IPv4 address: each of the 4 octets must be 0-255}.
 *
 * <p>{@link LabSpec.Builder#build()} checks the whole spec and reports every problem it finds in one
 * exception: its message lists them all, one per line, {@link #problems()} returns each, and
 * {@link #attribute()}, {@link #value()} and {@link #rule()} describe the first.
 */
public class InvalidLabSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String attribute;
    private final String value;
    private final String rule;
    /** The problems of a spec with several, in the order they were found; empty when this is the only one. */
    private final List<InvalidLabSpecException> problems;

    /**
     * One problem.
     *
     * @param attribute the attribute or element that holds the bad value, such as {@code ip} or {@code address of a:v2}
     * @param value     the value as it was given
     * @param rule      the rule the value breaks, phrased as what is allowed, and what to do
     */
    public InvalidLabSpecException(String attribute, String value, String rule) {
        super(attribute + " '" + printable(value) + "' is invalid: " + rule);
        this.attribute = attribute;
        this.value = value;
        this.rule = rule;
        this.problems = List.of();
    }

    /**
     * Several problems of one spec, reported together; the first gives {@link #attribute()},
     * {@link #value()} and {@link #rule()}.
     *
     * @param problems at least two problems, each of them a single one
     * @throws IllegalArgumentException when fewer than two are given, or one of them holds several
     */
    public InvalidLabSpecException(List<InvalidLabSpecException> problems) {
        super(listing(problems));
        InvalidLabSpecException first = problems.get(0);
        this.attribute = first.attribute;
        this.value = first.value;
        this.rule = first.rule;
        this.problems = List.copyOf(problems);
    }

    /** The attribute or element that holds the bad value, such as {@code ip} or {@code namespace netns1}. */
    public String attribute() {
        return attribute;
    }

    /** The value as it was given. */
    public String value() {
        return value;
    }

    /** The rule the value breaks, phrased as what is allowed. */
    public String rule() {
        return rule;
    }

    /**
     * Every problem of the spec, in the order they were found: this exception alone when it reports
     * one, else one exception per problem.
     */
    public List<InvalidLabSpecException> problems() {
        return problems.isEmpty() ? List.of(this) : problems;
    }

    private static String listing(List<InvalidLabSpecException> problems) {
        if (problems.size() < 2 || problems.stream().anyMatch(p -> !p.problems.isEmpty())) {
            throw new IllegalArgumentException(
                    "an exception that reports several problems needs at least two single ones," + " but got "
                            + problems.size() + (problems.size() < 2 ? "" : " of which some report several already"));
        }
        StringBuilder out = new StringBuilder("the lab spec has " + problems.size() + " problems; fix them all:");
        for (InvalidLabSpecException problem : problems) {
            out.append("\n  - ").append(problem.getMessage());
        }
        return out.toString();
    }

    private static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        value.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
