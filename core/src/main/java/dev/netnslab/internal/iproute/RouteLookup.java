package dev.netnslab.internal.iproute;

/**
 * The kernel's answer to {@code ip route get}: what it does with a packet to one destination.
 *
 * @param destination the address that was looked up
 * @param type        {@code unicast}, or {@code local} when this namespace holds the address
 * @param gateway     the next hop, or {@code null} when the destination is on the link
 * @param device      the outgoing interface ({@code lo} for a local destination)
 * @param source      the source address the kernel would pick, or {@code null} (input lookups give none)
 * @param inputDevice the interface the packet was looked up as arriving on ({@code iif}), or {@code null}
 */
public record RouteLookup(
        String destination, String type, String gateway, String device, String source, String inputDevice) {

    /** Whether the packet is delivered here rather than sent on. */
    public boolean isLocal() {
        return "local".equals(type);
    }

    /** The address the packet is handed to next: the gateway, or the destination itself on the link. */
    public String nextHop() {
        return gateway != null ? gateway : destination;
    }
}
