package dev.netnslab;

import java.util.List;

/**
 * An entry of a namespace's neighbour (ARP) table, as {@code ip -json neigh show} reports it.
 *
 * @param address the neighbour's IP address, e.g. {@code 10.200.1.254}
 * @param device  the interface it was seen on, e.g. {@code veth2}
 * @param mac     its link-layer address, or an empty string while it is unresolved
 * @param states  the entry's states, e.g. {@code [REACHABLE]}, {@code [STALE]} or {@code [FAILED]}
 */
public record Neighbour(String address, String device, String mac, List<String> states) {

    public Neighbour {
        states = List.copyOf(states);
    }

    @Override
    public String toString() {
        return address + " dev " + device + (mac.isEmpty() ? "" : " lladdr " + mac) + " " + String.join(",", states);
    }
}
