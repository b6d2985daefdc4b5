package dev.netnslab.internal.backend.rootless;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.internal.settings.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM that builds a lab on the rootless backend (as {@code -Dnetnslab.backend=rootless} selects
 * it), spawns a process in it, prints what it made and waits to be killed: {@link RootlessCrashTest}
 * starts it and SIGKILLs it.
 */
public final class RootlessOwnerMain {

    private RootlessOwnerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null));
        Namespace ns = lab.namespace("netns1");
        // A server the JVM started in its lab: it must not outlive the JVM either.
        ns.spawn("sleep", "600");
        List<String> ids = new ArrayList<>();
        for (Namespace each : List.of(lab.host(), ns)) {
            ids.add(each.exec("readlink", "/proc/self/ns/net").stdout().strip());
        }
        ids.add(ns.exec("readlink", "/proc/self/ns/user").stdout().strip());
        long pid = RootlessBackend.start(Settings.fromSystem()).pid();
        System.out.println("LAB " + lab.id() + " " + pid + " " + String.join(" ", ids));
        // Every process this JVM has below it: unshare, the namespace's, nsenter and the shells.
        System.out.println("PIDS "
                + ProcessHandle.current()
                        .descendants()
                        .map(p -> Long.toString(p.pid()))
                        .collect(java.util.stream.Collectors.joining(" ")));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
