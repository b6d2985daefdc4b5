package dev.netnslab;

/**
 * A lab definition was rejected before anything was created. The message names the attribute, the
 * value that was given and the rule it breaks, e.g.
 * {@code ip '10.200.1.300' is not a valid IPv4 address: each of the 4 octets must be 0-255}.
 */
public class InvalidLabSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String attribute;
    private final String value;
    private final String rule;

    public InvalidLabSpecException(String attribute, String value, String rule) {
        super(attribute + " '" + printable(value) + "' is invalid: " + rule);
        this.attribute = attribute;
        this.value = value;
        this.rule = rule;
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
