package dev.netnslab.internal.probe;

import dev.netnslab.internal.iproute.IpLiteral;
import dev.netnslab.internal.topology.IpCidr;

/** Checks the addresses and ports that assertions are given, before anything runs. */
public final class Targets {

    private Targets() {}

    /**
     * {@code ip}, an IPv4 or IPv6 literal, in the canonical form {@code ip} prints ({@code fd00::1}).
     *
     * @throws IllegalArgumentException saying what a target may be, what was given and why it is refused
     */
    public static String address(String ip) {
        try {
            return IpLiteral.canonical(ip);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "The target must be an IPv4 or IPv6 address such as 10.200.1.1 or fd00::1 "
                            + "(nothing is resolved), but was '" + ip + "': " + e.getMessage(),
                    e);
        }
    }

    /**
     * {@code port}, if it is a TCP port.
     *
     * @throws IllegalArgumentException when it is not 1-65535
     */
    public static int port(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("A TCP port must be 1-65535 but was " + port);
        }
        return port;
    }

    /**
     * A route destination as {@code ip -json route} prints it: {@code default}, {@code 10.0.0.0/24},
     * {@code 10.0.0.9}, {@code fd00:1::/64}, {@code fd00::9}.
     */
    public static String routeDestination(String destination) {
        if (destination == null
                || "default".equals(destination)
                || "0.0.0.0/0".equals(destination)
                || "::/0".equals(destination)) {
            return "default";
        }
        return IpCidr.parse("destination", destination, -1).toRouteString();
    }
}
