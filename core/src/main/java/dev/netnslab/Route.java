package dev.netnslab;

/**
 * A route of a namespace's main table, as {@code ip -json route show} reports it.
 *
 * @param destination {@code default}, a network such as {@code 10.200.1.0/24}, or a bare host address
 * @param gateway     the next hop, or {@code null} for an on-link route
 * @param device      the outgoing interface, or {@code null}
 * @param protocol    how it was added ({@code kernel} for connected routes), or {@code null}
 * @param scope       the scope ({@code link}, ...), or {@code null}
 */
public record Route(String destination, String gateway, String device, String protocol, String scope) {

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(destination);
        if (gateway != null) {
            out.append(" via ").append(gateway);
        }
        if (device != null) {
            out.append(" dev ").append(device);
        }
        return out.toString();
    }
}
