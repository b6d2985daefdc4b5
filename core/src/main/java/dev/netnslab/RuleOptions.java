package dev.netnslab;

/**
 * The options of a policy routing rule, for {@link LabSpec.Builder#rule(String, String, String, long, RuleOptions)}.
 * Immutable; start from a static method, each named after the {@code ip rule} keyword it sets:
 *
 * <pre>{@code
 * .rule("r", "10.0.2.0/24", null, 100, RuleOptions.priority(1000))   // ip rule add priority 1000 from 10.0.2.0/24 table 100
 * }</pre>
 */
public final class RuleOptions {

    private static final RuleOptions NONE = new RuleOptions(null);

    /** The priority as given, or {@code null} to let the kernel number the rule; checked when the spec is built. */
    private final Long priority;

    private RuleOptions(Long priority) {
        this.priority = priority;
    }

    /** No options: the kernel numbers the rule, just below the last one it has. */
    public static RuleOptions none() {
        return NONE;
    }

    /** {@code priority}: where the rule sits, 0-4294967295; a lower one is consulted first. */
    public static RuleOptions priority(long priority) {
        return NONE.withPriority(priority);
    }

    /** These options with {@code priority} instead of their own. */
    public RuleOptions withPriority(long value) {
        return new RuleOptions(value);
    }

    Long priorityValue() {
        return priority;
    }

    @Override
    public String toString() {
        return "RuleOptions[" + (priority == null ? "" : "priority " + priority) + "]";
    }
}
