package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.math.BigInteger;

/**
 * An IPv6 address, parsed strictly: eight groups of 1-4 hex digits separated by colons, one
 * {@code ::} standing for a run of zero groups, and optionally an IPv4 address in the last 32 bits
 * ({@code ::ffff:10.0.0.1}). Zone indexes ({@code fe80::1%eth0}) are refused: a route or a
 * neighbour names its interface separately.
 *
 * @param high the first 64 bits
 * @param low  the last 64 bits
 */
public record Ipv6Address(long high, long low) implements IpAddress {

    private static final BigInteger MASK_64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** Parses {@code text} or throws an {@link InvalidLabSpecException} naming {@code attribute}. */
    public static Ipv6Address parse(String attribute, String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidLabSpecException(attribute, text, "an IPv6 address is required, such as fd00::1");
        }
        if (text.indexOf('%') >= 0) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "an IPv6 address here takes no zone index ('%...'); name the interface in the dev argument instead");
        }
        int[] groups = new int[8];
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            throw new InvalidLabSpecException(attribute, text, "an IPv6 address may hold '::' only once");
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        int[] first = groups(attribute, text, head, doubleColon < 0);
        int[] last = doubleColon >= 0 ? groups(attribute, text, tail, true) : new int[0];
        int count = first.length + last.length;
        if (doubleColon < 0 && count != 8) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "an IPv6 address has 8 groups of hex digits (or '::' for a run of zero groups), but this has "
                            + count);
        }
        if (doubleColon >= 0 && count > 7) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "'::' stands for at least one zero group, so at most 7 groups may be written around it, but this has "
                            + count);
        }
        System.arraycopy(first, 0, groups, 0, first.length);
        System.arraycopy(last, 0, groups, 8 - last.length, last.length);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = (high << 16) | groups[i];
            low = (low << 16) | groups[i + 4];
        }
        return new Ipv6Address(high, low);
    }

    /** The groups of one side of {@code ::}; an embedded IPv4 address counts as two groups and may only come last. */
    private static int[] groups(String attribute, String text, String part, boolean mayEndInIpv4) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] parts = part.split(":", -1);
        int ipv4 = parts[parts.length - 1].indexOf('.') >= 0 ? 1 : 0;
        if (ipv4 == 1 && !mayEndInIpv4) {
            throw new InvalidLabSpecException(
                    attribute, text, "an embedded IPv4 address may only form the last 32 bits");
        }
        int[] result = new int[parts.length + ipv4];
        for (int i = 0; i < parts.length; i++) {
            String group = parts[i];
            if (ipv4 == 1 && i == parts.length - 1) {
                int bits = Ipv4Address.parse(attribute, group).bits();
                result[i] = bits >>> 16;
                result[i + 1] = bits & 0xffff;
                continue;
            }
            if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new InvalidLabSpecException(
                        attribute, text, "each group of an IPv6 address is 1-4 hex digits, but '" + group + "' is not");
            }
            result[i] = Integer.parseInt(group, 16);
        }
        return result;
    }

    /** The address whose value is {@code bits} (the low 128 bits are used). */
    public static Ipv6Address of(BigInteger bits) {
        return new Ipv6Address(
                bits.shiftRight(64).and(MASK_64).longValue(), bits.and(MASK_64).longValue());
    }

    @Override
    public Family family() {
        return Family.IPV6;
    }

    @Override
    public BigInteger value() {
        return new BigInteger(Long.toUnsignedString(high)).shiftLeft(64).or(new BigInteger(Long.toUnsignedString(low)));
    }

    @Override
    public boolean isLoopback() {
        return high == 0 && low == 1;
    }

    @Override
    public boolean isMulticast() {
        return (high >>> 56) == 0xff;
    }

    @Override
    public boolean isLinkLocal() {
        return (high >>> 54) == (0xfe80L >>> 6);
    }

    private int group(int i) {
        long word = i < 4 ? high : low;
        return (int) (word >>> (16 * (3 - i % 4))) & 0xffff;
    }

    /**
     * RFC 5952: lower case, no leading zeros, the first longest run of two or more zero groups as
     * {@code ::}, and IPv4-mapped addresses with their IPv4 part in dotted form.
     */
    @Override
    public String toString() {
        if (high == 0 && (low >>> 32) == 0xffff) {
            return "::ffff:" + new Ipv4Address((int) low);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (group(i) != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && group(i) == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
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
            out.append(Integer.toHexString(group(i)));
        }
        return out.toString();
    }
}
