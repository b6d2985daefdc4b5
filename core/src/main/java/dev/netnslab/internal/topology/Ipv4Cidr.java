package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;

/**
 * An IPv4 address with its prefix length, such as {@code 10.200.1.1/24}: an interface address
 * when {@link #address()} is a host of the subnet, or a route destination when it is the network.
 *
 * @param address the address as written
 * @param prefix  the prefix length, 0-32
 */
public record Ipv4Cidr(Ipv4Address address, int prefix) {

    /** The prefix used when an interface address is written without one. */
    public static final int DEFAULT_PREFIX = 24;

    public Ipv4Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix must be 0-32 but was " + prefix);
        }
    }

    /**
     * Parses {@code a.b.c.d} or {@code a.b.c.d/len}; without a prefix, {@code defaultPrefix} is used.
     */
    public static Ipv4Cidr parse(String attribute, String text, int defaultPrefix) {
        if (text == null || text.isEmpty()) {
            throw new InvalidLabSpecException(attribute, text, "an IPv4 address is required, such as 10.200.1.1/24");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Ipv4Cidr(Ipv4Address.parse(attribute, text), defaultPrefix);
        }
        Ipv4Address address = Ipv4Address.parse(attribute, text.substring(0, slash));
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidLabSpecException(attribute, text,
                    "the prefix after '/' must be a number 0-32, but '" + len + "' is not");
        }
        if (len.length() > 1 && len.charAt(0) == '0') {
            throw new InvalidLabSpecException(attribute, text,
                    "the prefix after '/' must not have leading zeros, but '" + len + "' has; write /" + Integer.parseInt(len));
        }
        int prefix = Integer.parseInt(len);
        if (prefix > 32) {
            throw new InvalidLabSpecException(attribute, text,
                    "the prefix after '/' must be 0-32, but " + prefix + " is over 32");
        }
        return new Ipv4Cidr(address, prefix);
    }

    /**
     * Parses an interface address and checks it can be one: a prefix of 1-30 and an address that is
     * neither the subnet's network nor its broadcast address.
     */
    public static Ipv4Cidr parseHost(String attribute, String text) {
        Ipv4Cidr cidr = parse(attribute, text, DEFAULT_PREFIX);
        if (cidr.prefix < 1 || cidr.prefix > 30) {
            throw new InvalidLabSpecException(attribute, text,
                    "an interface address needs a prefix of 1-30 so that the subnet has room for two hosts, but it is /" + cidr.prefix);
        }
        if (cidr.address.equals(cidr.network())) {
            throw new InvalidLabSpecException(attribute, text,
                    "it is the network address of " + cidr.subnet() + ", which no host may use; pick one of "
                            + cidr.firstHost() + "-" + cidr.lastHost());
        }
        if (cidr.address.equals(cidr.broadcast())) {
            throw new InvalidLabSpecException(attribute, text,
                    "it is the broadcast address of " + cidr.subnet() + ", which no host may use; pick one of "
                            + cidr.firstHost() + "-" + cidr.lastHost());
        }
        if (cidr.address.isLoopback()) {
            throw new InvalidLabSpecException(attribute, text,
                    "127.0.0.0/8 is loopback and cannot be put on a lab interface");
        }
        return cidr;
    }

    /** Parses a route destination: {@code default}, or a network such as {@code 10.0.0.0/8} (the host bits must be zero). */
    public static Ipv4Cidr parseNetwork(String attribute, String text) {
        if ("default".equals(text)) {
            return new Ipv4Cidr(new Ipv4Address(0), 0);
        }
        Ipv4Cidr cidr = parse(attribute, text, 32);
        if (!cidr.address.equals(cidr.network())) {
            throw new InvalidLabSpecException(attribute, text,
                    "a route destination must be a network with its host bits zero, such as " + cidr.subnet());
        }
        return cidr;
    }

    public int mask() {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public Ipv4Address network() {
        return new Ipv4Address(address.bits() & mask());
    }

    public Ipv4Address broadcast() {
        return new Ipv4Address(address.bits() | ~mask());
    }

    /** The lowest usable host address of the subnet. */
    public Ipv4Address firstHost() {
        return network().plus(1);
    }

    /** The highest usable host address of the subnet, e.g. {@code 10.200.1.254} for {@code 10.200.1.0/24}. */
    public Ipv4Address lastHost() {
        return broadcast().plus(-1);
    }

    /** The subnet this address lies in, with the host bits cleared. */
    public Ipv4Cidr subnet() {
        return new Ipv4Cidr(network(), prefix);
    }

    public boolean contains(Ipv4Address other) {
        return (other.bits() & mask()) == (address.bits() & mask());
    }

    public boolean overlaps(Ipv4Cidr other) {
        int common = Math.min(prefix, other.prefix);
        int mask = common == 0 ? 0 : -1 << (32 - common);
        return (address.bits() & mask) == (other.address.bits() & mask);
    }

    /** Whether this is {@code 0.0.0.0/0}. */
    public boolean isDefault() {
        return prefix == 0;
    }

    /** The form {@code ip} prints: {@code default} for 0.0.0.0/0, a bare address for /32, else {@code a.b.c.d/len}. */
    public String toRouteString() {
        if (prefix == 0) {
            return "default";
        }
        return prefix == 32 ? address.toString() : address + "/" + prefix;
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
