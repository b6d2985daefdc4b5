package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.math.BigInteger;

/**
 * An IP address of either family, parsed strictly from a literal (nothing is ever resolved). Its
 * {@code toString()} is the form {@code ip} prints, so addresses compare by text too:
 * {@code 10.200.1.1}, and for IPv6 the RFC 5952 form ({@code fd00::1}, lower case, the longest run of
 * zero groups compressed).
 */
public sealed interface IpAddress extends Comparable<IpAddress> permits Ipv4Address, Ipv6Address {

    /**
     * Parses an IPv4 or an IPv6 literal, or throws an {@link InvalidLabSpecException} naming
     * {@code attribute}. A text with a colon is read as IPv6, anything else as IPv4.
     */
    static IpAddress parse(String attribute, String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidLabSpecException(
                    attribute, text, "an IP address is required, such as 10.200.1.1 or fd00::1");
        }
        return text.indexOf(':') >= 0 ? Ipv6Address.parse(attribute, text) : Ipv4Address.parse(attribute, text);
    }

    /** Whether {@code text} is a valid IPv4 or IPv6 literal. */
    static boolean isValid(String text) {
        try {
            parse("address", text);
            return true;
        } catch (InvalidLabSpecException e) {
            return false;
        }
    }

    /** The address of {@code family} whose value is {@code bits}. */
    static IpAddress of(Family family, BigInteger bits) {
        return family == Family.IPV4 ? new Ipv4Address(bits.intValue()) : Ipv6Address.of(bits);
    }

    /** IPv4 or IPv6. */
    enum Family {
        IPV4(32, "IPv4"),
        IPV6(128, "IPv6");

        private final int bits;
        private final String label;

        Family(int bits, String label) {
            this.bits = bits;
            this.label = label;
        }

        /** The address length in bits, 32 or 128: also the longest prefix. */
        public int bits() {
            return bits;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    Family family();

    /** The address as an unsigned number. */
    BigInteger value();

    default boolean isIpv6() {
        return family() == Family.IPV6;
    }

    /** 127.0.0.0/8 or ::1. */
    boolean isLoopback();

    /** 224.0.0.0/4 or ff00::/8. */
    boolean isMulticast();

    /** 169.254.0.0/16 or fe80::/10. */
    boolean isLinkLocal();

    /** 0.0.0.0 or ::. */
    default boolean isUnspecified() {
        return value().signum() == 0;
    }

    @Override
    default int compareTo(IpAddress other) {
        int byFamily = family().compareTo(other.family());
        return byFamily != 0 ? byFamily : value().compareTo(other.value());
    }
}
