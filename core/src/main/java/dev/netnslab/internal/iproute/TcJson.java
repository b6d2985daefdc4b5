package dev.netnslab.internal.iproute;

import static dev.netnslab.internal.iproute.IpJson.objects;
import static dev.netnslab.internal.iproute.IpJson.str;

import dev.netnslab.Qdisc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the output of {@code tc -json} into the public state records. Pure: no I/O. */
public final class TcJson {

    private TcJson() {}

    /** Parses {@code tc -json qdisc show}; nested options are kept as their JSON-ish text. */
    public static List<Qdisc> qdiscs(String json) {
        List<Qdisc> result = new ArrayList<>();
        for (Map<String, Object> qdisc : objects(json)) {
            Map<String, String> options = new LinkedHashMap<>();
            if (qdisc.get("options") instanceof Map) {
                ((Map<?, ?>) qdisc.get("options"))
                        .forEach((key, value) -> options.put(String.valueOf(key), String.valueOf(value)));
            }
            result.add(new Qdisc(
                    str(qdisc, "dev"),
                    str(qdisc, "kind"),
                    str(qdisc, "handle"),
                    Boolean.TRUE.equals(qdisc.get("root")),
                    options));
        }
        return result;
    }
}
