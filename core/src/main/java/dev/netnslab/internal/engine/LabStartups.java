package dev.netnslab.internal.engine;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.topology.StartupScript;
import dev.netnslab.internal.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The programs a lab runs inside its namespaces once it is built: a Kathara device's startup
 * scripts, a containerlab node's {@code exec} commands. Before the lab is built, the daemons they
 * start are looked up on the lab's machine, since a namespace has the machine's programs and no
 * image of its own.
 */
final class LabStartups {

    /** Prints each program that is neither a command nor an init script: one check for the whole lab. */
    private static final String WHICH_ARE_MISSING =
            "for p do command -v \"$p\" >/dev/null 2>&1 || [ -x \"/etc/init.d/$p\" ] || echo \"$p\"; done";

    private LabStartups() {}

    /**
     * Checks that every daemon the startups start is installed on {@code lab}'s machine.
     *
     * @throws NetnsLabException naming the device, the line and the program, before anything is created
     */
    static void checkInstalled(LabEngine lab) {
        Map<String, List<String>> wanted = new LinkedHashMap<>();
        for (Topology.StartupSpec startup : lab.topology().startups()) {
            for (Topology.Requirement requirement : startup.requires()) {
                wanted.computeIfAbsent(requirement.program(), p -> new ArrayList<>())
                        .add(requirement.where() + " (" + requirement.text().strip() + ")");
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("sh", "-c", WHICH_ARE_MISSING, "netnslab-check"));
        argv.addAll(wanted.keySet());
        ExecResult result = lab.kernel().run(Command.of(lab.commandTimeout(), argv));
        List<String> missing = result.stdout()
                .lines()
                .map(String::strip)
                .filter(wanted::containsKey)
                .toList();
        if (!result.isSuccess() || missing.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("Could not build the lab: ");
        for (String program : missing) {
            message.append(String.join(" and ", wanted.get(program)))
                    .append(" starts ")
                    .append(program)
                    .append(", which is not installed on ")
                    .append(lab.kernel().name())
                    .append("; ");
        }
        message.append("a lab's devices are namespaces of that machine and run its programs, not those of a"
                        + " container image. Install ")
                .append(String.join(", ", missing))
                .append(" there, or remove the line. Nothing was created.");
        throw new NetnsLabException(message.toString());
    }

    /**
     * Runs every startup of the lab, in order, each in its namespace.
     *
     * @return what failed, as the message of the build's failure, or empty when all succeeded
     */
    static Optional<String> run(LabEngine lab, Map<String, String> systemNames) {
        for (Topology.StartupSpec startup : lab.topology().startups()) {
            ExecResult result = lab.runInNamespace(
                    systemNames.get(startup.namespace()), startup.argv(), startup.script(), lab.commandTimeout());
            if (!result.isSuccess()) {
                return Optional.of(describe(startup, result));
            }
        }
        return Optional.empty();
    }

    private static String describe(Topology.StartupSpec startup, ExecResult result) {
        String output = StartupScript.output(
                (result.stdout().strip() + "\n" + result.stderr().strip()).strip(), startup.origin());
        StringBuilder text = new StringBuilder("running " + startup.origin() + " in " + startup.namespace() + ": ");
        if (startup.script() == null) {
            text.append("the command ")
                    .append(Command.render(startup.argv()))
                    .append(" exited ")
                    .append(result.exitCode());
        } else {
            Optional<int[]> failure = StartupScript.failure(result.stderr());
            if (failure.isPresent()) {
                int line = failure.get()[0];
                List<String> lines = startup.script().lines().toList();
                text.append("line ")
                        .append(line)
                        .append(
                                line >= 1 && line <= lines.size()
                                        ? " (" + lines.get(line - 1).strip() + ")"
                                        : "")
                        .append(" exited ")
                        .append(failure.get()[1]);
            } else {
                text.append("the script exited ").append(result.exitCode());
            }
        }
        text.append("; everything the lab created so far has been removed.\noutput:\n  ")
                .append(output.isEmpty() ? "<none>" : output.replace("\n", "\n  "))
                .append("\nThe startup runs in the device's namespace on this machine, with this machine's programs;"
                        + " fix or remove that line.");
        return text.toString();
    }
}
