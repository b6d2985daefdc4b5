package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.math.BigInteger;

/**
 * An IP address with its prefix length, such as {@code 10.200.1.1/24} or {@code fd00:1::2/64}: an
 * interface address when {@link #address()} is a host of the subnet, or a route destination when it
 * is the network.
 *
 * @param address the address as written
 * @param prefix  the prefix length, 0-32 for IPv4 and 0-128 for IPv6
 */
public record IpCidr(IpAddress address, int prefix) {

    /** The prefix used when an IPv4 interface address is written without one. */
    public static final int DEFAULT_PREFIX = 24;
    /** The prefix used when an IPv6 interface address is written without one. */
    public static final int DEFAULT_PREFIX_V6 = 64;

    public IpCidr {
        if (prefix < 0 || prefix > address.family().bits()) {
            throw new IllegalArgumentException("an " + address.family() + " prefix must be 0-"
                    + address.family().bits() + " but was " + prefix);
        }
    }

    /**
     * Parses {@code address} or {@code address/len} of either family. Without a prefix,
     * {@code defaultPrefix} is used, or the full length of the family (a single address) when it is
     * negative.
     */
    public static IpCidr parse(String attribute, String text, int defaultPrefix) {
        if (text == null || text.isEmpty()) {
            throw new InvalidLabSpecException(
                    attribute, text, "an address is required, such as 10.200.1.1/24 or fd00::1/64");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            IpAddress address = IpAddress.parse(attribute, text);
            int bits = address.family().bits();
            return new IpCidr(address, defaultPrefix < 0 ? bits : Math.min(defaultPrefix, bits));
        }
        IpAddress address = IpAddress.parse(attribute, text.substring(0, slash));
        int max = address.family().bits();
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidLabSpecException(
                    attribute, text, "the prefix after '/' must be a number 0-" + max + ", but '" + len + "' is not");
        }
        if (len.length() > 1 && len.charAt(0) == '0') {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "the prefix after '/' must not have leading zeros, but '" + len + "' has; write /"
                            + Integer.parseInt(len));
        }
        int prefix = Integer.parseInt(len);
        if (prefix > max) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "the prefix after '/' must be 0-" + max + " for an " + address.family() + " address, but " + prefix
                            + " is over " + max);
        }
        return new IpCidr(address, prefix);
    }

    /**
     * Parses an interface address and checks that it can be one. Without a prefix, {@code /24} for
     * IPv4 and {@code /64} for IPv6. Refused are only addresses that can never work on an interface:
     * the unspecified, loopback and multicast addresses, and an IPv4 subnet's
     * broadcast address (the kernel would send to it as broadcast). {@code /31} and {@code /32}
     * ({@code /127}, {@code /128}) are fine: they are how point-to-point links and the CNI plugins
     * address pods.
     */
    public static IpCidr parseHost(String attribute, String text) {
        IpCidr cidr = parse(attribute, text, -1);
        if (text.indexOf('/') < 0) {
            cidr = new IpCidr(cidr.address, cidr.address.isIpv6() ? DEFAULT_PREFIX_V6 : DEFAULT_PREFIX);
        }
        IpAddress address = cidr.address;
        if (address.isUnspecified()) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "the unspecified address " + address + " means 'any address' and cannot be put on an interface");
        }
        if (address.isLoopback()) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    (address.isIpv6() ? "::1" : "127.0.0.0/8")
                            + " is loopback: traffic to it never leaves the namespace, so it cannot address a lab interface");
        }
        if (address.isMulticast()) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "it is a multicast address ("
                            + (address.isIpv6() ? "ff00::/8" : "224.0.0.0/4")
                            + "), which the kernel does not put on an interface;"
                            + " pick a unicast address");
        }
        if (!address.isIpv6() && cidr.prefix <= 30 && address.equals(cidr.broadcast())) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "it is the broadcast address of " + cidr.subnet()
                            + ", so packets to it go to every host of the subnet;" + " pick one of " + cidr.firstHost()
                            + "-" + cidr.lastHost() + ", or use /31 or /32");
        }
        return cidr;
    }

    /**
     * Parses a route destination: {@code default} (IPv4's {@code 0.0.0.0/0}; IPv6's is {@code ::/0}),
     * or a network such as {@code 10.0.0.0/8} or {@code fd00:2::/64} whose host bits are zero. A bare
     * address is a host route ({@code /32}, {@code /128}).
     */
    public static IpCidr parseNetwork(String attribute, String text) {
        if ("default".equals(text)) {
            return new IpCidr(new Ipv4Address(0), 0);
        }
        IpCidr cidr = parse(attribute, text, -1);
        if (!cidr.address.equals(cidr.network())) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "a route destination must be a network with its host bits zero, such as " + cidr.subnet());
        }
        return cidr;
    }

    /** The default route of {@code family}: {@code 0.0.0.0/0} or {@code ::/0}. */
    public static IpCidr defaultRoute(IpAddress.Family family) {
        return new IpCidr(IpAddress.of(family, BigInteger.ZERO), 0);
    }

    public IpAddress.Family family() {
        return address.family();
    }

    private BigInteger mask() {
        int bits = family().bits();
        BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        return all.xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
    }

    public IpAddress network() {
        return IpAddress.of(family(), address.value().and(mask()));
    }

    /** The highest address of the subnet: IPv4's broadcast address. */
    public IpAddress broadcast() {
        BigInteger hostBits = BigInteger.ONE.shiftLeft(family().bits() - prefix).subtract(BigInteger.ONE);
        return IpAddress.of(family(), address.value().or(hostBits));
    }

    /** The lowest usable host address of the subnet (the network address itself for /31 and /32). */
    public IpAddress firstHost() {
        return family().bits() - prefix < 2
                ? network()
                : IpAddress.of(family(), network().value().add(BigInteger.ONE));
    }

    /** The highest usable host address of the subnet, e.g. {@code 10.200.1.254} for {@code 10.200.1.0/24}. */
    public IpAddress lastHost() {
        return family().bits() - prefix < 2
                ? broadcast()
                : IpAddress.of(family(), broadcast().value().subtract(BigInteger.ONE));
    }

    /** The subnet this address lies in, with the host bits cleared. */
    public IpCidr subnet() {
        return new IpCidr(network(), prefix);
    }

    /** Whether {@code other} (of the same family) lies inside this subnet. */
    public boolean contains(IpAddress other) {
        return other.family() == family()
                && other.value().and(mask()).equals(address.value().and(mask()));
    }

    /** Whether the two subnets share an address. */
    public boolean overlaps(IpCidr other) {
        if (other.family() != family()) {
            return false;
        }
        IpCidr wider = prefix <= other.prefix ? this : other;
        IpCidr narrower = wider == this ? other : this;
        return wider.contains(narrower.address);
    }

    /** Whether this is {@code 0.0.0.0/0} or {@code ::/0}. */
    public boolean isDefault() {
        return prefix == 0;
    }

    /** The form {@code ip} prints: {@code default}, a bare address for a host route, else {@code address/len}. */
    public String toRouteString() {
        if (prefix == 0) {
            return "default";
        }
        return prefix == family().bits() ? address.toString() : address + "/" + prefix;
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
