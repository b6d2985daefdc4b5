package dev.netnslab.internal.reaper;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import java.util.stream.Collectors;

/**
 * A JVM that owns a lab, with a process spawned in it, and then waits to be killed: {@link CrashCleanupTest} starts it, reads the
 * line it prints, and SIGKILLs it. Settings come in as {@code -D} system properties.
 */
public final class CrashingOwnerMain {

    private CrashingOwnerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null));
        // A server the JVM started in its lab: it must not outlive the JVM either.
        lab.namespace("netns1").spawn("sleep", "600");
        String names = lab.host().systemName() + " "
                + lab.namespaces().stream().map(Namespace::systemName).collect(Collectors.joining(" "));
        System.out.println("LAB " + lab.id() + " " + names);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
