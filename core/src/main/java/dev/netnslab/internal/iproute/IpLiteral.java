package dev.netnslab.internal.iproute;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.internal.topology.IpAddress;
import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 literals in the canonical text that {@code ip} prints ({@code 10.0.0.1},
 * {@code fd00::1}), so that an address a user typed compares equal to one read from the kernel.
 * Parsing is {@link IpAddress}'s; this class words the refusals for a check's target. Pure: never
 * resolves a name.
 */
public final class IpLiteral {

    private static final Pattern IPV4_SHAPE = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiteral() {}

    /** Whether {@code text} is an IPv6 literal (it holds a colon); says nothing of whether it is valid. */
    public static boolean isIpv6(String text) {
        return text != null && text.indexOf(':') >= 0;
    }

    /**
     * The canonical form of an IPv4 or IPv6 literal: IPv6 in lower case with the longest run of zero
     * groups written {@code ::} (RFC 5952), as {@code ip} prints it.
     *
     * @throws IllegalArgumentException when {@code text} is neither, naming what was given
     */
    public static String canonical(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("expected an IPv4 or IPv6 address such as 10.0.0.1 or fd00::1 but got "
                    + (text == null ? "null" : "an empty string"));
        }
        if (!isIpv6(text) && !IPV4_SHAPE.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not an IPv4 address (four numbers 0-255 joined by dots, "
                            + "such as 10.0.0.1) nor an IPv6 one (such as fd00::1); host names are not resolved");
        }
        if (isIpv6(text) && !IPV6_CHARACTERS.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not an IPv6 address: only hex digits, ':' and '.' may appear "
                            + "(no brackets, zone ids or prefixes), such as fd00::1");
        }
        try {
            return IpAddress.parse("address", text).toString();
        } catch (InvalidLabSpecException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a valid " + (isIpv6(text) ? "IPv6" : "IPv4") + " address: " + e.rule(), e);
        }
    }
}
