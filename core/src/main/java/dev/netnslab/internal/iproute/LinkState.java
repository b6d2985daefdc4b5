package dev.netnslab.internal.iproute;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one interface shows about whether it carries packets yet: its flags, the operational state
 * the kernel's link watcher sets once it has handled a carrier change (and attached the queueing
 * discipline: until then the device drops what it is given), its state as a bridge port, and its
 * IPv6 addresses still under duplicate address detection.
 *
 * @param name      the interface name
 * @param flags     {@code UP}, {@code LOWER_UP}, {@code NO-CARRIER}..., as {@code ip link} prints them
 * @param operstate {@code UP}, {@code DOWN}, {@code LOWERLAYERDOWN}, {@code UNKNOWN}... (RFC 2863, as {@code ip} prints it)
 * @param portState {@code forwarding}, {@code disabled}, {@code listening}, {@code learning}, {@code blocking},
 *                  or {@code null} when the interface is not a bridge port
 * @param tentative its addresses still "tentative" (IPv6 duplicate address detection running), with prefix
 * @param dadFailed its addresses for which duplicate address detection found another node
 * @param kind      its kind as {@code ip -d link} names it ({@code veth}, {@code bridge}...), or {@code null}
 *                  for a plain device or when not read
 */
public record LinkState(
        String name,
        List<String> flags,
        String operstate,
        String portState,
        List<String> tentative,
        List<String> dadFailed,
        String kind) {

    private static final Pattern LINK_LINE = Pattern.compile("^\\d+: ([^:@\\s]+)(?:@[^:\\s]+)?: <([^>]*)>(.*)$");
    private static final Pattern ADDR_LINE = Pattern.compile("^\\d+: ([^:@\\s]+)\\s+inet6? (\\S+) (.*)$");
    private static final Pattern OPERSTATE = Pattern.compile(" state (\\S+)");
    private static final Pattern KIND = Pattern.compile("\\\\ +([a-z][a-z0-9_]*) ");
    private static final Pattern PORT_STATE = Pattern.compile("bridge_slave state (\\S+)");

    public LinkState {
        flags = List.copyOf(flags);
        tentative = List.copyOf(tentative);
        dadFailed = List.copyOf(dadFailed);
    }

    /**
     * Why the interface does not carry packets yet, or {@code null} when it does: it is up, has
     * carrier, the link watcher has made it operational ({@code UP}, or {@code UNKNOWN} for devices
     * that report no state), as a bridge port it forwards, and (when {@code checkAddresses}) none of
     * its addresses is tentative.
     */
    public String notReady(boolean checkAddresses) {
        List<String> why = new ArrayList<>();
        if (!flags.contains("UP")) {
            why.add("it is down");
        } else if (!flags.contains("LOWER_UP") || flags.contains("NO-CARRIER")) {
            why.add("it has no carrier");
        } else if (!operstate.equals("UP") && !operstate.equals("UNKNOWN")) {
            why.add("its carrier is not handled yet");
        } else if (operstate.equals("UNKNOWN") && "veth".equals(kind)) {
            // A new veth reads UNKNOWN until the link watcher first handles it, and until then its
            // queue drops what it is given: only a veth that reads UP carries packets.
            why.add("its carrier is not handled yet");
        }
        if (portState != null && !portState.equals("forwarding")) {
            why.add("as a bridge port it is " + portState);
        }
        if (checkAddresses && !tentative.isEmpty()) {
            why.add("addresses still tentative (IPv6 duplicate address detection)");
        }
        return why.isEmpty() ? null : String.join(", ", why);
    }

    /** The state as a reader wants it in a message: {@code <UP,NO-CARRIER> operstate DOWN, port disabled, ...}. */
    public String describe() {
        StringBuilder text = new StringBuilder("<" + String.join(",", flags) + "> operstate " + operstate);
        if (portState != null) {
            text.append(", bridge port ").append(portState);
        }
        if (!tentative.isEmpty()) {
            text.append(", tentative ").append(tentative);
        }
        if (!dadFailed.isEmpty()) {
            text.append(", dadfailed ").append(dadFailed);
        }
        return text.toString();
    }

    /**
     * Reads the output of {@code ip -d -o link show} followed by {@code ip -o addr show} (both from
     * one {@code ip -d -o -batch -}) into the state of every interface, by name. Lines of neither
     * form are skipped.
     */
    public static Map<String, LinkState> parse(String output) {
        Map<String, Builder> links = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            Matcher link = LINK_LINE.matcher(line);
            if (link.matches()) {
                Builder builder = links.computeIfAbsent(link.group(1), Builder::new);
                builder.flags = List.of(link.group(2).split(","));
                Matcher state = OPERSTATE.matcher(link.group(3));
                builder.operstate = state.find() ? state.group(1) : "UNKNOWN";
                Matcher port = PORT_STATE.matcher(link.group(3));
                builder.portState = port.find() ? port.group(1) : null;
                Matcher kind = KIND.matcher(link.group(3));
                builder.kind = kind.find() ? kind.group(1) : null;
                continue;
            }
            Matcher addr = ADDR_LINE.matcher(line);
            if (addr.matches()) {
                Builder builder = links.computeIfAbsent(addr.group(1), Builder::new);
                // Flags follow the scope and end where the lifetimes (after a backslash) begin.
                String rest = addr.group(3).split("\\\\", 2)[0];
                List<String> words = List.of(rest.trim().split("\\s+"));
                if (words.contains("dadfailed")) {
                    builder.dadFailed.add(addr.group(2));
                } else if (words.contains("tentative")) {
                    builder.tentative.add(addr.group(2));
                }
            }
        }
        Map<String, LinkState> result = new LinkedHashMap<>();
        links.forEach((name, b) -> result.put(name, b.build()));
        return result;
    }

    /** Collects one interface's lines. */
    public static final class Builder {
        private final String name;
        private List<String> flags = List.of();
        private String operstate = "UNKNOWN";
        private String portState;
        private String kind;
        private final List<String> tentative = new ArrayList<>();
        private final List<String> dadFailed = new ArrayList<>();

        public Builder(String name) {
            this.name = name;
        }

        public Builder flags(List<String> value) {
            flags = value;
            return this;
        }

        public Builder operstate(String value) {
            operstate = value;
            return this;
        }

        public Builder portState(String value) {
            portState = value;
            return this;
        }

        public Builder kind(String value) {
            kind = value;
            return this;
        }

        public Builder address(String cidr, boolean isTentative, boolean failed) {
            if (failed) {
                dadFailed.add(cidr);
            } else if (isTentative) {
                tentative.add(cidr);
            }
            return this;
        }

        public LinkState build() {
            return new LinkState(name, flags, operstate, portState, tentative, dadFailed, kind);
        }
    }
}
