package dev.netnslab;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * A queueing discipline on an interface, as {@code tc -json qdisc show} reports it.
 *
 * @param device  the interface, e.g. {@code eth0}
 * @param kind    the qdisc, e.g. {@code tbf}, {@code htb}, {@code noqueue}
 * @param handle  its handle, e.g. {@code 8001:}
 * @param root    whether it is the interface's root qdisc
 * @param options its options as tc reports them, values as text (e.g. {@code rate=125000} for tbf, in bytes per second)
 */
public record Qdisc(String device, String kind, String handle, boolean root, Map<String, String> options) {

    public Qdisc {
        options = Map.copyOf(options);
    }

    @Override
    public String toString() {
        String opts = options.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(" "));
        return kind + " " + handle + " dev " + device + (root ? " root" : "") + (opts.isEmpty() ? "" : " " + opts);
    }
}
