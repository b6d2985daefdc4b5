package dev.netnslab;

import java.util.List;
import java.util.Objects;

/**
 * A route of a namespace, IPv4 or IPv6, as {@code ip -json route show} reports it.
 *
 * @param destination {@code default}, a network such as {@code 10.200.1.0/24} or {@code fd00:1::/64}, or a
 *                    bare host address
 * @param gateway     the next hop, or {@code null} for an on-link route
 * @param device      the outgoing interface, or {@code null} (a blackhole route has none)
 * @param protocol    how it was added ({@code kernel} for connected routes), or {@code null}
 * @param scope       the scope ({@code link}, {@code host}), or {@code null} for global
 * @param source      the preferred source address ({@code src}), or {@code null}
 * @param metric      the metric (priority); {@code 0} when the kernel reports none
 * @param table       the routing table: {@code main}, {@code local}, or a number such as {@code 100}
 * @param type        the route type: {@code unicast}, {@code blackhole}, {@code unreachable},
 *                    {@code prohibit}, {@code local}, ...
 * @param flags       the route's flags, such as {@code onlink} or {@code linkdown}
 */
public record Route(
        String destination,
        String gateway,
        String device,
        String protocol,
        String scope,
        String source,
        long metric,
        String table,
        String type,
        List<String> flags) {

    public Route {
        Objects.requireNonNull(destination, "destination");
        table = table == null ? "main" : table;
        type = type == null ? "unicast" : type;
        flags = List.copyOf(flags);
    }

    /** A unicast route of the main table with no source, metric or flags. */
    public Route(String destination, String gateway, String device, String protocol, String scope) {
        this(destination, gateway, device, protocol, scope, null, 0, "main", "unicast", List.of());
    }

    /** Whether this is an IPv6 route. */
    public boolean isIpv6() {
        return destination.contains(":") || (gateway != null && gateway.contains(":"));
    }

    /** Whether the gateway is taken as directly reachable on the device ({@code onlink}). */
    public boolean isOnLink() {
        return flags.contains("onlink");
    }

    /** The route in the shape of {@code ip route}: {@code default via 10.0.0.1 dev eth0 metric 100}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (!"unicast".equals(type)) {
            out.append(type).append(' ');
        }
        out.append(destination);
        if (gateway != null) {
            out.append(" via ").append(gateway);
        }
        if (device != null) {
            out.append(" dev ").append(device);
        }
        if (!"main".equals(table)) {
            out.append(" table ").append(table);
        }
        if (scope != null && !"global".equals(scope)) {
            out.append(" scope ").append(scope);
        }
        if (source != null) {
            out.append(" src ").append(source);
        }
        if (metric != 0) {
            out.append(" metric ").append(metric);
        }
        for (String flag : flags) {
            out.append(' ').append(flag);
        }
        return out.toString();
    }
}
