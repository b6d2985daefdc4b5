package dev.netnslab.internal.engine;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Command;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes still running inside a lab's namespaces when it closes: daemons that a startup
 * script, a {@code exec}'d command or a spawned process left behind (a Kathara device's
 * {@code /etc/init.d/... start}, a {@code sh -c 'server &'}). A namespace whose name is deleted
 * lives on while a process is inside it, with its interfaces, so the lab stops them first.
 *
 * <p>The same two steps as the watchdog's for a dead JVM's labs: one {@code ip -force -batch} of
 * {@code netns pids NS} lines lists them, one {@code kill -KILL} ends them. Only processes inside
 * the lab's own namespaces are touched, and never this JVM. No shell reads any of it.
 */
final class NamespaceProcesses {

    private NamespaceProcesses() {}

    /** Kills every process inside {@code lab}'s namespaces. */
    static void kill(LabEngine lab) {
        StringBuilder batch = new StringBuilder();
        lab.namespaces()
                .values()
                .forEach(ns ->
                        batch.append("netns pids ").append(ns.systemName()).append('\n'));
        ExecResult listed = lab.runIp(List.of("-force", "-batch", "-"), batch.toString());
        List<String> pids = pids(
                listed.stdout(),
                lab.kernel().sharesThisJvm() ? ProcessHandle.current().pid() : -1);
        if (pids.isEmpty()) {
            if (!listed.isSuccess()
                    && listed.stdout().isBlank()
                    && !listed.stderr().contains("No such file")) {
                throw new NetnsLabException(
                        "Could not list the processes left inside lab " + lab.id() + ":\n" + listed.describe());
            }
            return;
        }
        List<String> argv = new ArrayList<>(List.of("kill", "-KILL"));
        argv.addAll(pids);
        // A process may end by itself between the two steps; kill then says "No such process", which is fine.
        lab.kernel().run(Command.of(lab.commandTimeout(), argv));
    }

    /** The pids in {@code ip netns pids} output, one per line, without {@code keep}. */
    static List<String> pids(String output, long keep) {
        List<String> pids = new ArrayList<>();
        for (String line : output.split("\n")) {
            String pid = line.strip();
            if (pid.matches("[0-9]{1,10}") && !pid.equals(Long.toString(keep)) && !pids.contains(pid)) {
                pids.add(pid);
            }
        }
        return pids;
    }
}
