package dev.netnslab;

import java.util.List;

/**
 * An entry of a forwarding database, as {@code bridge -json fdb show} reports it: where a bridge
 * sends frames for a MAC address, or, on a VXLAN device, which remote endpoint gets them.
 *
 * @param mac         the link-layer address, e.g. {@code 02:42:ac:11:00:03}
 * @param device      the port or device the entry belongs to, e.g. {@code veth1} or {@code flannel.1}
 * @param master      the bridge the port belongs to, or {@code null} for an entry of the device itself
 * @param destination the remote endpoint of a VXLAN entry ({@code dst}), or {@code null}
 * @param flags       the entry's flags, e.g. {@code [self]}
 * @param state       {@code permanent}, {@code static}, or an empty string for a learned entry
 */
public record FdbEntry(String mac, String device, String master, String destination, List<String> flags, String state) {

    public FdbEntry {
        flags = List.copyOf(flags);
        state = state == null ? "" : state;
    }

    /** Whether the entry was added by hand rather than learned ({@code permanent} or {@code static}). */
    public boolean isPermanent() {
        return "permanent".equals(state) || "static".equals(state);
    }

    /** The entry in the shape of {@code bridge fdb}: {@code 02:42:ac:11:00:03 dev flannel.1 dst 10.0.0.20 self permanent}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(mac).append(" dev ").append(device);
        if (destination != null) {
            out.append(" dst ").append(destination);
        }
        if (master != null) {
            out.append(" master ").append(master);
        }
        flags.forEach(flag -> out.append(' ').append(flag));
        if (!state.isEmpty()) {
            out.append(' ').append(state);
        }
        return out.toString();
    }
}
