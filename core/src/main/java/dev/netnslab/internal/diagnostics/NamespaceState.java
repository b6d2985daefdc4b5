package dev.netnslab.internal.diagnostics;

import dev.netnslab.InterfaceAddress;
import dev.netnslab.Neighbour;
import dev.netnslab.NetInterface;
import dev.netnslab.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one namespace looked like when it was read. A reader that failed leaves its list empty and
 * says why in {@code problems}, so one broken reader never hides the others.
 *
 * @param name       the logical name, e.g. {@code netns1}
 * @param systemName the name in {@code ip netns list}
 * @param firewall   per tool ({@code iptables-save}, {@code nft list ruleset}): its output, or why there is none
 * @param problems   per section: why it could not be read
 */
record NamespaceState(
        String name,
        String systemName,
        List<NetInterface> links,
        List<InterfaceAddress> addresses,
        List<Route> routes,
        List<Neighbour> neighbours,
        Map<String, String> firewall,
        Map<String, String> problems) {

    NamespaceState {
        links = List.copyOf(links);
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        neighbours = List.copyOf(neighbours);
        firewall = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(firewall));
        problems = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(problems));
    }
}
