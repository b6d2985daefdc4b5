package dev.netnslab.internal.iproute;

import java.util.List;

/**
 * One interface as {@code ip -json -d link show} reports it, reduced to what tells where its
 * packets go.
 *
 * @param name      the interface name
 * @param index     its ifindex
 * @param flags     link flags: {@code UP} (administratively up), {@code LOWER_UP} (carrier), {@code NO-CARRIER}
 * @param mac       its link-layer address, or an empty string
 * @param kind      {@code veth}, {@code bridge}, {@code vxlan}, ..., or {@code null} for loopback
 * @param master    the bridge it is a port of, or {@code null}
 * @param peerIndex the ifindex of the other end of a veth, or {@code -1}
 * @param peerNsId  the id (in this namespace's view) of the namespace holding the other end, or {@code -1} when
 *                  the other end is in this same namespace
 */
public record LinkDetail(
        String name,
        int index,
        List<String> flags,
        String mac,
        String kind,
        String master,
        int peerIndex,
        int peerNsId) {

    public LinkDetail {
        flags = List.copyOf(flags);
    }

    /** Whether the link was set up ({@code ip link set ... up}). */
    public boolean isUp() {
        return flags.contains("UP");
    }

    /** Whether the link has a carrier: for a veth, whether the other end is up too. */
    public boolean hasCarrier() {
        return flags.contains("LOWER_UP") && !flags.contains("NO-CARRIER");
    }
}
