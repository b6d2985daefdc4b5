package dev.netnslab.internal.iproute;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 literals in the canonical text that {@code ip} prints ({@code 10.0.0.1},
 * {@code fd00::1}), so that an address a user typed compares equal to one read from the kernel.
 * Pure: never resolves a name.
 */
public final class IpLiteral {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiteral() {
    }

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
        if (!isIpv6(text)) {
            if (!IPV4.matcher(text).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (four numbers 0-255 joined by dots, "
                        + "such as 10.0.0.1) nor an IPv6 one (such as fd00::1); host names are not resolved");
            }
            return text;
        }
        if (!IPV6_CHARACTERS.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address: only hex digits, ':' and '.' may appear "
                    + "(no brackets, zone ids or prefixes), such as fd00::1");
        }
        try {
            // Only hex digits, colons and dots reach here, so this parses a literal and never asks DNS.
            InetAddress parsed = InetAddress.getByName(text);
            if (!(parsed instanceof Inet6Address)) {
                return parsed.getHostAddress();
            }
            return compress(parsed.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid IPv6 address, such as fd00::1", e);
        }
    }

    private static String compress(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
