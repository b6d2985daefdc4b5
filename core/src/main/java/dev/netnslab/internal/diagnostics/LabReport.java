package dev.netnslab.internal.diagnostics;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.diagram.LabDiagram;
import dev.netnslab.internal.engine.LabEngine;
import dev.netnslab.internal.engine.LabNamespace;
import dev.netnslab.internal.engine.PacketCapture;
import dev.netnslab.internal.engine.SpanningLab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The state of every namespace of a lab, read at one moment: the answer to "what did the namespaces
 * look like when the test failed?". For each namespace (the host side first): links with their
 * counters, addresses, routes, neighbours, and firewall rules ({@code iptables-save},
 * {@code nft list ruleset}) where those tools are installed; then the lab's packet captures and a
 * Mermaid diagram of the lab.
 *
 * <pre>{@code
 * LabReport report = LabReport.capture(lab);
 * System.err.println(report.text());
 * }</pre>
 *
 * The JUnit extension does this by itself when a test fails. Reading never throws: a part that
 * cannot be read says so in the text, and a missing tool is noted, not fatal.
 */
public final class LabReport {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(10);
    /** The tools that show firewall rules, and the Debian package that brings each. */
    private static final Map<List<String>, String> FIREWALL_TOOLS = new LinkedHashMap<>();

    static {
        FIREWALL_TOOLS.put(List.of("iptables-save"), "iptables");
        FIREWALL_TOOLS.put(List.of("nft", "list", "ruleset"), "nftables");
    }

    private final String text;

    private LabReport(String text) {
        this.text = text;
    }

    /** Reads every namespace of {@code lab} now. The lab must still be open. */
    public static LabReport capture(LabEngine lab) {
        List<NamespaceState> states = new ArrayList<>();
        for (LabNamespace ns : lab.namespaces().values()) {
            states.add(read(ns));
        }
        List<String> captures = new ArrayList<>();
        for (PacketCapture capture : lab.captures()) {
            captures.add(describe(capture));
        }
        String mermaid = LabDiagram.of(lab.topology(), lab.faults().notes()).mermaid();
        return new LabReport(ReportText.render("State of " + lab + ":", states, mermaid, captures)
                + faults(lab.faults().notes())
                + lab.faults().recalled());
    }

    /**
     * Reads every namespace of every kernel's part of {@code lab} now: the same as
     * {@link #capture(LabEngine)} for a lab on one kernel, otherwise one section per kernel, headed
     * by its name and where it is, so that a failure shows each kernel's state.
     */
    public static LabReport capture(SpanningLab lab) {
        if (lab.parts().size() == 1) {
            return capture(lab.primary());
        }
        StringBuilder text = new StringBuilder();
        text.append("The lab over kernels ")
                .append(lab.parts().keySet())
                .append(":\n")
                .append(LabDiagram.of(lab.topology(), lab.faultNotes(), lab.placement()::kernelOf)
                        .mermaid())
                .append('\n');
        lab.parts()
                .forEach((kernel, part) -> text.append("=== kernel '")
                        .append(kernel)
                        .append("' (")
                        .append(part.kernel().describe())
                        .append(")\n")
                        .append(capture(part).text())
                        .append('\n'));
        return new LabReport(text.toString());
    }

    /** The keep instructions of every kernel's part, each headed by its kernel when there are several. */
    public static String keepInstructions(SpanningLab lab) {
        if (lab.parts().size() == 1) {
            return keepInstructions(lab.primary());
        }
        StringBuilder text = new StringBuilder();
        lab.parts()
                .forEach((kernel, part) -> text.append("On kernel '")
                        .append(kernel)
                        .append("' (")
                        .append(part.kernel().describe())
                        .append("): ")
                        .append(keepInstructions(part)));
        return text.toString();
    }

    /** The report as text, several lines long. */
    public String text() {
        return text;
    }

    /**
     * The commands that enter each namespace of a lab that was kept, and the one that deletes it.
     * Run them as root on the machine of the lab's backend.
     */
    public static String keepInstructions(LabEngine lab) {
        List<String> prefix = lab.kernel().enterPrefix();
        String enter = "";
        StringBuilder out = new StringBuilder("Lab " + lab.id() + " was kept (netnslab.keepOnFailure=true). ");
        if (!lab.kernel().needsOwnershipRecords()) {
            // Its names exist only inside the kernel's world, and only as long as the JVM runs.
            enter = prefix.isEmpty() ? "" : String.join(" ", prefix) + " ";
            out.append("It lives until the test JVM exits: the " + lab.kernel().name()
                    + " backend's labs end with it. As the same user, meanwhile:\n");
        } else {
            out.append("As root on the machine of its backend:\n");
        }
        List<LabNamespace> all = new ArrayList<>(lab.namespaces().values());
        for (LabNamespace ns : all) {
            out.append(String.format(
                    "  %-18s %sip netns exec %s bash\n", "enter " + ns.name() + ":", enter, ns.systemName()));
        }
        out.append(String.format("  %-18s ", "delete it:"));
        for (int i = 0; i < all.size(); i++) {
            out.append(i == 0 ? "" : " && ")
                    .append(enter)
                    .append("ip netns del ")
                    .append(all.get(i).systemName());
        }
        return out.append('\n').toString();
    }

    /** The faults the test switched on and has not undone, which explain many a failed check. */
    static String faults(Map<String, List<String>> faults) {
        if (faults.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\nactive faults (set by the test; undone when the lab closes):\n");
        faults.forEach((ns, notes) -> notes.forEach(note -> out.append("  ")
                .append(ns)
                .append(": ")
                .append(note.replaceFirst("^fault: ", ""))
                .append('\n')));
        return out.toString();
    }

    private static NamespaceState read(LabNamespace ns) {
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, String> firewall = new LinkedHashMap<>();
        for (Map.Entry<List<String>, String> tool : FIREWALL_TOOLS.entrySet()) {
            firewall.put(String.join(" ", tool.getKey()), firewall(ns, tool.getKey(), tool.getValue()));
        }
        return new NamespaceState(
                ns.name(),
                ns.systemName(),
                read("links", ns::interfaces, problems),
                read("addresses", ns::addresses, problems),
                read("routes", ns::routes, problems),
                read("neighbours", ns::neighbours, problems),
                firewall,
                problems);
    }

    private static <T> List<T> read(String section, Supplier<List<T>> reader, Map<String, String> problems) {
        try {
            return reader.get();
        } catch (RuntimeException e) {
            problems.put(
                    section, String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
            return List.of();
        }
    }

    private static String firewall(LabNamespace ns, List<String> argv, String debianPackage) {
        try {
            ExecResult result = ns.exec(TOOL_TIMEOUT, argv.toArray(String[]::new));
            if (result.isSuccess()) {
                String rules = result.stdout()
                        .lines()
                        .filter(line -> !line.startsWith("#"))
                        .reduce("", (a, b) -> a + b + "\n");
                return rules.isBlank() ? "(no rules)" : rules;
            }
            if (result.stderr().contains("No such file or directory") || result.exitCode() == 127) {
                return "(not installed; apt-get install -y " + debianPackage + " to see these rules)";
            }
            return "(failed with exit " + result.exitCode() + ": "
                    + result.stderr().strip() + ")";
        } catch (RuntimeException e) {
            return "(could not run: " + e.getMessage() + ")";
        }
    }

    private static String describe(PacketCapture capture) {
        String packets;
        try {
            packets = capture.packetCount() + " packets";
        } catch (RuntimeException e) {
            packets = "unreadable: " + e.getMessage();
        }
        return capture.namespace().name() + ":" + capture.iface() + " -> " + capture.path() + " (" + packets
                + (capture.isRunning() ? ", still running" : "") + ")";
    }

    @Override
    public String toString() {
        return text;
    }
}
