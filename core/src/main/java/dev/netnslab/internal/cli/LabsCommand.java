package dev.netnslab.internal.cli;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.backend.Backends;
import dev.netnslab.internal.backend.local.Machine;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.reaper.OwnershipRecord;
import dev.netnslab.internal.reaper.Reaper;
import dev.netnslab.internal.reaper.SweepReport;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
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
 * process that has died is told by the ownership records ({@link Reaper}): {@code sweep} removes
 * exactly those, and only lists the rest with the commands to remove them by hand.
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
            return String.join(
                    " && ", systemNames.stream().map(n -> "ip netns del " + n).toList());
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
        Optional<ExecResult> list = machine.runPrivileged(List.of("ip", "netns", "list"));
        if (list.isEmpty() || !list.get().isSuccess()) {
            err.println("Could not list namespaces with 'ip netns list'"
                    + list.map(r -> ": " + r.stderr().strip()).orElse("") + ". Run 'doctor' to see what is missing.");
            return Optional.empty();
        }
        return Optional.of(parse(list.get().stdout()));
    }

    int labs(PrintStream out, PrintStream err) {
        if (rootless(out)) {
            return 0;
        }
        Optional<List<LabEntry>> labs = read(err);
        if (labs.isEmpty()) {
            return 1;
        }
        if (labs.get().isEmpty()) {
            out.println("No labs on this machine (no namespace named NAME-nlXXXXXX in 'ip netns list').");
            return 0;
        }
        Map<String, OwnershipRecord> owned = new LinkedHashMap<>();
        try {
            Reaper.liveLabs(backend()).forEach(r -> owned.put(r.labId(), r));
        } catch (RuntimeException e) {
            err.println("Could not read the ownership records: " + e.getMessage());
        }
        out.println("Labs on this machine (" + labs.get().size() + "):");
        for (LabEntry lab : labs.get()) {
            OwnershipRecord record = owned.get(lab.id());
            String owner = record != null
                    ? "owned by pid " + record.owner().pid()
                    : "no live owner: kept with keepOnFailure, left by a crash ('sweep' removes those), or made by hand";
            out.println("  " + lab.id() + "  " + String.join(", ", lab.systemNames()) + "  (" + owner + ")");
        }
        out.println("Enter a namespace with: ip netns exec <name> bash");
        return 0;
    }

    /**
     * Removes only the labs whose ownership record names a dead owner. Labs without a record (kept
     * on purpose, or not made by netns-lab) are listed with the command to remove them by hand.
     */
    int sweep(PrintStream out, PrintStream err) {
        Kernel backend;
        SweepReport report;
        try {
            backend = backend();
            if (Reaper.endsWithThisJvm(backend)) {
                rootless(out);
                return 0;
            }
            report = Reaper.sweep(backend);
        } catch (RuntimeException e) {
            err.println("Could not sweep: " + e.getMessage() + ". Run 'doctor' to see what is missing.");
            return 1;
        }
        if (report.sweptLabs().isEmpty()) {
            out.println("No lab of a dead owner: nothing was removed.");
        } else {
            out.println(
                    "Removed " + report.sweptLabs().size() + " lab(s) of dead owners: " + report.deletedNamespaces());
        }
        report.skipped().forEach(reason -> out.println("  skipped: " + reason));
        Optional<List<LabEntry>> labs = read(err);
        if (labs.isEmpty()) {
            return 1;
        }
        List<String> live = new ArrayList<>();
        try {
            Reaper.liveLabs(backend).forEach(r -> live.add(r.labId()));
        } catch (RuntimeException e) {
            err.println("Could not read the ownership records: " + e.getMessage());
            return 1;
        }
        List<LabEntry> unowned =
                labs.get().stream().filter(lab -> !live.contains(lab.id())).toList();
        if (!unowned.isEmpty()) {
            out.println(
                    "Labs without an ownership record, left alone (kept on purpose, or not netns-lab's); remove one by hand with:");
            for (LabEntry lab : unowned) {
                out.println("  " + lab.id() + "  " + lab.deleteCommand());
            }
        }
        return 0;
    }

    /**
     * When the backend is one whose labs live and end inside their own JVM (rootless), says so and
     * returns true: there is nothing to list or remove from another process.
     */
    private static boolean rootless(PrintStream out) {
        Kernel backend;
        try {
            backend = backend();
        } catch (RuntimeException e) {
            return false;
        }
        if (!Reaper.endsWithThisJvm(backend)) {
            return false;
        }
        out.println("The " + backend.name() + " backend is in use here (" + Setting.BACKEND + "="
                + Settings.fromSystem().get(Setting.BACKEND)
                + "). Its labs live inside the user namespace of the test JVM that made them and end with that JVM,"
                + " even when it is killed: there is nothing to list or remove from outside.");
        return true;
    }

    private static Kernel backend() {
        return Backends.select(Settings.fromSystem());
    }
}
