package dev.netnslab.internal.probe;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.internal.topology.Ipv4Address;
import dev.netnslab.internal.topology.IpCidr;

/** Checks the addresses and ports that assertions are given, before anything runs. */
public final class Targets {

    private Targets() {
    }

    /**
     * {@code ip} as a canonical address.
     *
     * @throws IllegalArgumentException saying what a target may be, what was given and why it is refused
     */
    public static String address(String ip) {
        try {
            return Ipv4Address.parse("ip", ip).toString();
        } catch (InvalidLabSpecException e) {
            throw new IllegalArgumentException("The target must be an IPv4 address such as 10.200.1.1 (nothing is resolved), "
                    + "but was '" + ip + "': " + e.rule(), e);
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

    /** A route destination as {@code ip -json route} prints it: {@code default}, {@code 10.0.0.0/24}, {@code 10.0.0.9}. */
    public static String routeDestination(String destination) {
        if (destination == null || "default".equals(destination) || "0.0.0.0/0".equals(destination)) {
            return "default";
        }
        return IpCidr.parse("destination", destination, -1).toRouteString();
    }
}
