package dev.netnslab.internal.iproute;

import dev.netnslab.InterfaceAddress;
import dev.netnslab.Neighbour;
import dev.netnslab.NetInterface;
import dev.netnslab.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns the output of {@code ip -json} into the public state records. Pure: no I/O. */
public final class IpJson {

    private IpJson() {}

    /** Parses {@code ip [-s] -json link show}. */
    public static List<NetInterface> links(String json) {
        List<NetInterface> result = new ArrayList<>();
        for (Map<String, Object> link : objects(json)) {
            result.add(new NetInterface(
                    str(link, "ifname"),
                    (int) num(link, "ifindex"),
                    str(link, "operstate"),
                    strings(link.get("flags")),
                    (int) num(link, "mtu"),
                    str(link, "address") == null ? "" : str(link, "address"),
                    str(link, "master"),
                    counters(link.get("stats64"))));
        }
        return result;
    }

    /** Parses {@code ip -json addr show}. */
    public static List<InterfaceAddress> addresses(String json) {
        List<InterfaceAddress> result = new ArrayList<>();
        for (Map<String, Object> link : objects(json)) {
            Object info = link.get("addr_info");
            if (!(info instanceof List)) {
                continue;
            }
            for (Object item : (List<?>) info) {
                if (item instanceof Map) {
                    Map<?, ?> addr = (Map<?, ?>) item;
                    Object local = addr.get("local");
                    Object prefix = addr.get("prefixlen");
                    if (local != null && prefix instanceof Number) {
                        result.add(new InterfaceAddress(
                                str(link, "ifname"),
                                String.valueOf(addr.get("family")),
                                local.toString(),
                                ((Number) prefix).intValue()));
                    }
                }
            }
        }
        return result;
    }

    /**
     * Parses {@code ip -json route show}, of either family and any table. A route without a
     * {@code table} key is in the main table; one without {@code type} is unicast.
     */
    public static List<Route> routes(String json) {
        List<Route> result = new ArrayList<>();
        for (Map<String, Object> route : objects(json)) {
            result.add(new Route(
                    str(route, "dst"),
                    str(route, "gateway"),
                    str(route, "dev"),
                    str(route, "protocol"),
                    str(route, "scope"),
                    str(route, "prefsrc"),
                    num(route, "metric"),
                    str(route, "table"),
                    str(route, "type"),
                    strings(route.get("flags"))));
        }
        return result;
    }

    /**
     * Parses {@code ip -json route get ...}: the kernel's decision for one destination.
     *
     * @throws IllegalArgumentException when the output holds no route
     */
    public static RouteLookup routeLookup(String json) {
        List<Map<String, Object>> found = objects(json);
        if (found.isEmpty()) {
            throw new IllegalArgumentException(
                    "Expected one route from ip -json route get but got: " + abbreviate(json));
        }
        Map<String, Object> route = found.get(0);
        return new RouteLookup(
                str(route, "dst"),
                str(route, "type") == null ? "unicast" : str(route, "type"),
                str(route, "gateway"),
                str(route, "dev"),
                str(route, "prefsrc"),
                str(route, "iif"));
    }

    /**
     * Parses {@code ip -json -d link show} into what tells where a link leads: its kind, and for a
     * veth the peer's index and the id of the namespace holding it.
     */
    public static List<LinkDetail> linkDetails(String json) {
        List<LinkDetail> result = new ArrayList<>();
        for (Map<String, Object> link : objects(json)) {
            Object info = link.get("linkinfo");
            String kind = info instanceof Map ? String.valueOf(((Map<?, ?>) info).get("info_kind")) : null;
            Object netnsId = link.get("link_netnsid");
            Object peer = link.get("link_index");
            result.add(new LinkDetail(
                    str(link, "ifname"),
                    (int) num(link, "ifindex"),
                    strings(link.get("flags")),
                    str(link, "address") == null ? "" : str(link, "address"),
                    kind,
                    str(link, "master"),
                    peer instanceof Number ? ((Number) peer).intValue() : -1,
                    netnsId instanceof Number ? ((Number) netnsId).intValue() : -1));
        }
        return result;
    }

    /** Parses {@code ip -json netns list-id}: the ids this namespace gives its peers, mapped to their names. */
    public static Map<Integer, String> netnsIds(String json) {
        Map<Integer, String> result = new java.util.LinkedHashMap<>();
        for (Map<String, Object> entry : objects(json)) {
            if (entry.get("nsid") instanceof Number && entry.get("name") != null) {
                result.put(((Number) entry.get("nsid")).intValue(), str(entry, "name"));
            }
        }
        return result;
    }

    /** Parses {@code ip -json neigh show}. */
    public static List<Neighbour> neighbours(String json) {
        List<Neighbour> result = new ArrayList<>();
        for (Map<String, Object> entry : objects(json)) {
            String mac = str(entry, "lladdr");
            result.add(new Neighbour(
                    str(entry, "dst"), str(entry, "dev"), mac == null ? "" : mac, strings(entry.get("state"))));
        }
        return result;
    }

    private static NetInterface.Counters counters(Object stats) {
        if (!(stats instanceof Map)) {
            return NetInterface.Counters.NONE;
        }
        Map<?, ?> map = (Map<?, ?>) stats;
        Map<?, ?> rx = map.get("rx") instanceof Map ? (Map<?, ?>) map.get("rx") : Map.of();
        Map<?, ?> tx = map.get("tx") instanceof Map ? (Map<?, ?>) map.get("tx") : Map.of();
        return new NetInterface.Counters(
                n(rx.get("packets")),
                n(rx.get("bytes")),
                n(rx.get("dropped")),
                n(tx.get("packets")),
                n(tx.get("bytes")),
                n(tx.get("dropped")));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(String json) {
        Object parsed = Json.parse(json);
        if (!(parsed instanceof List)) {
            throw new IllegalArgumentException("Expected a JSON array from ip -json but got: " + abbreviate(json));
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object item : (List<Object>) parsed) {
            if (item instanceof Map) {
                result.add((Map<String, Object>) item);
            }
        }
        return result;
    }

    static String str(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null ? null : value.toString();
    }

    static long num(Map<String, Object> map, String key) {
        return n(map.get(key));
    }

    static long n(Object value) {
        return value instanceof Number ? ((Number) value).longValue() : 0L;
    }

    static List<String> strings(Object value) {
        if (!(value instanceof List)) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (Object item : (List<?>) value) {
            result.add(String.valueOf(item));
        }
        return result;
    }

    static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
