package dev.netnslab.internal.iproute;

import static dev.netnslab.internal.iproute.IpJson.objects;
import static dev.netnslab.internal.iproute.IpJson.str;
import static dev.netnslab.internal.iproute.IpJson.strings;

import dev.netnslab.BridgePort;
import dev.netnslab.FdbEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns the output of {@code bridge -json} into the public state records. Pure: no I/O. */
public final class BridgeJson {

    private BridgeJson() {}

    /** Parses {@code bridge -json fdb show}. */
    public static List<FdbEntry> fdb(String json) {
        List<FdbEntry> result = new ArrayList<>();
        for (Map<String, Object> entry : objects(json)) {
            result.add(new FdbEntry(
                    str(entry, "mac"),
                    str(entry, "ifname"),
                    str(entry, "master"),
                    str(entry, "dst"),
                    strings(entry.get("flags")),
                    str(entry, "state")));
        }
        return result;
    }

    /**
     * Parses {@code bridge -json -d link show}. Without {@code -d} the flags are missing, and each
     * reads as the kernel's default (learning and flooding on, hairpin and isolation off).
     */
    public static List<BridgePort> ports(String json) {
        List<BridgePort> result = new ArrayList<>();
        for (Map<String, Object> port : objects(json)) {
            result.add(new BridgePort(
                    str(port, "ifname"),
                    str(port, "master"),
                    str(port, "state"),
                    flag(port, "hairpin", false),
                    flag(port, "isolated", false),
                    flag(port, "learning", true),
                    flag(port, "flood", true)));
        }
        return result;
    }

    private static boolean flag(Map<String, Object> port, String key, boolean absent) {
        Object value = port.get(key);
        return value instanceof Boolean ? (Boolean) value : absent;
    }
}
