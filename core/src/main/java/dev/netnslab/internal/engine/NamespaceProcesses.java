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
 * <p>Only processes inside the lab's own namespaces are touched, and never this JVM.
 */
final class NamespaceProcesses {

    /**
     * Lists the pids inside each namespace given as an argument ({@code ip netns pids}) and kills
     * them with SIGKILL, except the pid given second, after the {@code ip} program (this JVM, when it shares the kernel). The
     * namespace names are the lab's own system names, passed as arguments, never as shell text.
     */
    private static final String KILL_INSIDE =
            "ip=$1; keep=$2; shift 2; for ns do \"$ip\" netns pids \"$ns\" 2>/dev/null; done"
                    + " | while read -r pid; do [ \"$pid\" = \"$keep\" ] || kill -KILL \"$pid\" 2>/dev/null; done; true";

    private NamespaceProcesses() {}

    /** Kills every process inside {@code lab}'s namespaces. */
    static void kill(LabEngine lab) {
        List<String> argv = new ArrayList<>(List.of(
                "sh",
                "-c",
                KILL_INSIDE,
                "netnslab-stop",
                lab.kernel().ip(),
                lab.kernel().sharesThisJvm()
                        ? Long.toString(ProcessHandle.current().pid())
                        : "-"));
        lab.namespaces().values().forEach(ns -> argv.add(ns.systemName()));
        ExecResult result = lab.kernel().run(Command.of(lab.commandTimeout(), argv));
        if (!result.isSuccess()) {
            throw new NetnsLabException(
                    "Could not stop the processes left inside lab " + lab.id() + ":\n" + result.describe());
        }
    }
}
