package dev.netnslab.internal.diagnostics;

import dev.netnslab.InterfaceAddress;
import dev.netnslab.Neighbour;
import dev.netnslab.NetInterface;
import dev.netnslab.Route;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders namespace states as the text a person reads in a test report: one block per namespace,
 * in the shape of the {@code ip} commands they would have typed. Pure.
 */
final class ReportText {

    private ReportText() {}

    static String render(String heading, List<NamespaceState> states, String mermaid, List<String> captures) {
        StringBuilder out = new StringBuilder(heading).append('\n');
        for (NamespaceState state : states) {
            out.append('\n')
                    .append("== namespace ")
                    .append(state.name())
                    .append(" (")
                    .append(state.systemName())
                    .append(") ==\n");
            section(out, "links", state, state.links(), ReportText::link);
            section(
                    out,
                    "addresses",
                    state,
                    state.addresses().stream()
                            .filter(a -> !a.address().startsWith("fe80:"))
                            .toList(),
                    ReportText::address);
            // Every interface has a kernel route to fe80::/64; listing them says nothing.
            section(
                    out,
                    "routes",
                    state,
                    state.routes().stream()
                            .filter(r -> !r.destination().startsWith("fe80:"))
                            .toList(),
                    Route::toString);
            section(out, "neighbours", state, state.neighbours(), Neighbour::toString);
            out.append("firewall:\n");
            for (Map.Entry<String, String> rules : state.firewall().entrySet()) {
                out.append("  ").append(rules.getKey()).append(':');
                String text = rules.getValue().strip();
                if (text.lines().count() <= 1) {
                    out.append(' ').append(text).append('\n');
                } else {
                    out.append('\n');
                    text.lines().forEach(line -> out.append("    ").append(line).append('\n'));
                }
            }
        }
        if (!captures.isEmpty()) {
            out.append("\npacket captures:\n");
            captures.forEach(c -> out.append("  ").append(c).append('\n'));
        }
        if (mermaid != null) {
            out.append("\ndiagram (Mermaid):\n");
            mermaid.lines().forEach(line -> out.append("  ").append(line).append('\n'));
        }
        return out.toString();
    }

    private static <T> void section(
            StringBuilder out, String title, NamespaceState state, List<T> items, Function<T, String> line) {
        out.append(title).append(":\n");
        String problem = state.problems().get(title);
        if (problem != null) {
            out.append("  <could not be read: ").append(problem).append(">\n");
        } else if (items.isEmpty()) {
            out.append("  (none)\n");
        } else {
            items.forEach(item -> out.append("  ").append(line.apply(item)).append('\n'));
        }
    }

    private static String link(NetInterface link) {
        NetInterface.Counters c = link.counters();
        StringBuilder out =
                new StringBuilder(String.format("%-15s %-7s mtu %-5d", link.name(), link.operState(), link.mtu()));
        if (!link.mac().isEmpty()) {
            out.append(' ').append(link.mac());
        }
        if (link.master() != null) {
            out.append(" master ").append(link.master());
        }
        return out.append(String.format(
                        " flags %s  rx %d pkts %d B (%d dropped)  tx %d pkts %d B (%d dropped)",
                        link.flags(),
                        c.rxPackets(),
                        c.rxBytes(),
                        c.rxDropped(),
                        c.txPackets(),
                        c.txBytes(),
                        c.txDropped()))
                .toString();
    }

    private static String address(InterfaceAddress address) {
        return String.format("%-15s %s", address.iface(), address.cidr());
    }
}
