package dev.netnslab.cli;

import dev.netnslab.ExecResult;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code labs} and {@code sweep}. Labs are recognised by their system names, {@code NAME-nlXXXXXX}
 * (see {@code Lab.id()}): one lab is every namespace that shares an id. Which of them belong to a
 * process that has died is the business of ownership records; until a build has them,
 * {@code sweep} lists the labs and the commands to remove them, and removes nothing, because only
 * a dead owner's lab may be deleted.
 */
final class LabsCommand {

    /** A lab's namespaces end in {@code -nl} and six characters of {@code [a-z0-9]} (Lab.newId()). */
    private static final Pattern LAB_NAMESPACE = Pattern.compile("(.+)-(nl[a-z0-9]{6})");

    /** A lab as seen from {@code ip netns list}: its id and its namespaces' system names. */
    record LabEntry(String id, List<String> systemNames) {
        LabEntry {
            systemNames = List.copyOf(systemNames);
        }

        String deleteCommand() {
            return String.join(" && ", systemNames.stream().map(n -> "ip netns del " + n).toList());
        }
    }

    private final Machine machine;

    LabsCommand(Machine machine) {
        this.machine = machine;
    }

    /** Groups the output of {@code ip netns list} into labs, in order of first appearance. Pure. */
    static List<LabEntry> parse(String netnsList) {
        Map<String, List<String>> labs = new LinkedHashMap<>();
        for (String line : netnsList.split("\n")) {
            String name = line.strip().split("\\s+")[0];
            Matcher matcher = LAB_NAMESPACE.matcher(name);
            if (matcher.matches()) {
                labs.computeIfAbsent(matcher.group(2), id -> new ArrayList<>()).add(name);
            }
        }
        List<LabEntry> entries = new ArrayList<>();
        labs.forEach((id, names) -> entries.add(new LabEntry(id, names)));
        return entries;
    }

    Optional<List<LabEntry>> read(PrintStream err) {
        Optional<ExecResult> list = machine.run(List.of("ip", "netns", "list"));
        if (list.isEmpty() || !list.get().isSuccess()) {
            err.println("Could not list namespaces with 'ip netns list'"
                    + list.map(r -> ": " + r.stderr().strip()).orElse("") + ". Run 'doctor' to see what is missing.");
            return Optional.empty();
        }
        return Optional.of(parse(list.get().stdout()));
    }

    int labs(PrintStream out, PrintStream err) {
        Optional<List<LabEntry>> labs = read(err);
        if (labs.isEmpty()) {
            return 1;
        }
        if (labs.get().isEmpty()) {
            out.println("No labs on this machine (no namespace named NAME-nlXXXXXX in 'ip netns list').");
            return 0;
        }
        out.println("Labs on this machine (" + labs.get().size() + "):");
        for (LabEntry lab : labs.get()) {
            out.println("  " + lab.id() + "  " + String.join(", ", lab.systemNames()));
        }
        out.println("Enter a namespace with: ip netns exec <name> bash");
        return 0;
    }

    int sweep(PrintStream out, PrintStream err) {
        Optional<List<LabEntry>> labs = read(err);
        if (labs.isEmpty()) {
            return 1;
        }
        out.println("sweep removes a lab only when the process that owns it has died, as its ownership record shows.");
        out.println("This build keeps no ownership records, so it cannot tell a running test's lab from a leftover: nothing was removed.");
        if (labs.get().isEmpty()) {
            out.println("There are no labs on this machine anyway.");
            return 0;
        }
        out.println("Labs found; if you know a lab's test run is over, remove it with the command beside it:");
        for (LabEntry lab : labs.get()) {
            out.println("  " + lab.id() + "  " + lab.deleteCommand());
        }
        return 0;
    }
}
