package dev.netnslab;

import java.util.List;

/**
 * A network interface as {@code ip -s -json link show} reports it inside a namespace.
 *
 * @param name      the interface name, e.g. {@code veth2}
 * @param index     the ifindex
 * @param operState the operational state: {@code UP}, {@code DOWN}, {@code UNKNOWN} (loopback), ...
 * @param flags     the link flags, e.g. {@code [BROADCAST, MULTICAST, UP, LOWER_UP]}
 * @param mtu       the MTU
 * @param mac       the link-layer address, or an empty string
 * @param master    the bridge (or other master) it is enslaved to, or {@code null}
 * @param counters  packet and byte counters
 */
public record NetInterface(
        String name,
        int index,
        String operState,
        List<String> flags,
        int mtu,
        String mac,
        String master,
        Counters counters) {

    public NetInterface {
        flags = List.copyOf(flags);
    }

    /** Whether the interface is administratively up (has the {@code UP} flag). */
    public boolean isUp() {
        return flags.contains("UP");
    }

    /** Traffic counters of an interface. */
    public record Counters(long rxPackets, long rxBytes, long rxDropped, long txPackets, long txBytes, long txDropped) {
        public static final Counters NONE = new Counters(0, 0, 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return name + " " + operState + " mtu " + mtu + (master == null ? "" : " master " + master) + " rx "
                + counters.rxPackets() + "p tx " + counters.txPackets() + "p";
    }
}
