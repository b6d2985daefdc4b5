package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.math.BigInteger;

/**
 * An IPv4 address, parsed strictly: four decimal octets 0-255, no leading zeros, nothing else.
 *
 * @param bits the address as an unsigned 32-bit value held in an int
 */
public record Ipv4Address(int bits) implements IpAddress {

    /**
     * Parses {@code text} or throws an {@link InvalidLabSpecException} naming {@code attribute}.
     */
    public static Ipv4Address parse(String attribute, String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidLabSpecException(attribute, text, "an IPv4 address is required, such as 10.200.1.1");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "an IPv4 address has exactly 4 dot-separated octets, such as 10.200.1.1, but this has "
                            + parts.length);
        }
        int bits = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new InvalidLabSpecException(
                        attribute,
                        text,
                        "each of the 4 octets must be a decimal number 0-255, but '" + part + "' is not");
            }
            if (part.length() > 1 && part.charAt(0) == '0') {
                throw new InvalidLabSpecException(
                        attribute,
                        text,
                        "octets must not have leading zeros (some tools read them as octal), but '" + part + "' has");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new InvalidLabSpecException(
                        attribute, text, "each of the 4 octets must be 0-255, but " + octet + " is out of range");
            }
            bits = (bits << 8) | octet;
        }
        return new Ipv4Address(bits);
    }

    /** Whether {@code text} is a valid IPv4 address. */
    public static boolean isValid(String text) {
        try {
            parse("address", text);
            return true;
        } catch (InvalidLabSpecException e) {
            return false;
        }
    }

    public Ipv4Address plus(int delta) {
        return new Ipv4Address(bits + delta);
    }

    @Override
    public boolean isLoopback() {
        return (bits >>> 24) == 127;
    }

    @Override
    public Family family() {
        return Family.IPV4;
    }

    @Override
    public BigInteger value() {
        return BigInteger.valueOf(Integer.toUnsignedLong(bits));
    }

    @Override
    public boolean isMulticast() {
        return (bits >>> 28) == 0xe;
    }

    @Override
    public boolean isLinkLocal() {
        return (bits >>> 16) == 0xa9fe;
    }

    @Override
    public String toString() {
        return ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "."
                + (bits & 0xff);
    }
}
