package dev.netnslab.internal.engine;

import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.netns.NamespaceFiles;
import dev.netnslab.internal.netns.NamespaceThread;
import dev.netnslab.internal.settings.Setting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lab's threads inside its namespaces, one {@link NamespaceThread} per namespace, started on
 * first use and closed with the lab, before its namespaces are deleted.
 */
final class LabThreads {

    /** Where {@code ip netns add} mounts a namespace, so that a process (or a thread) can enter it. */
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private final LabEngine engine;
    private final Map<String, NamespaceThread> threads = new ConcurrentHashMap<>();
    private volatile boolean closed;

    LabThreads(LabEngine engine) {
        this.engine = engine;
    }

    /**
     * The threads of {@code ns}, started if need be.
     *
     * @throws UnsupportedOperationException when the lab's kernel is not this JVM's, or this JVM may not enter it
     */
    NamespaceThread of(LabNamespace ns) {
        String why = whyNot();
        if (why != null) {
            throw new UnsupportedOperationException(
                    "Namespace.call and Namespace.executor run Java code on threads of this JVM"
                            + " inside namespace " + ns.name() + " of lab " + engine.id() + ", but " + why
                            + ". Use exec() or spawn()"
                            + " to run a program in the namespace instead, or run the test as root with "
                            + Setting.BACKEND + "=local.");
        }
        if (closed) {
            throw new NetnsLabException(
                    "Namespace " + ns.name() + " belongs to lab " + engine.id() + ", which is closed");
        }
        return threads.computeIfAbsent(
                ns.systemName(), system -> NamespaceThread.start(system, NETNS_DIR.resolve(system)));
    }

    /**
     * The threads that checks may use to probe from {@code ns} inside this JVM, or empty when they
     * must run as processes: on another backend, without root, or with {@code netnslab.checks=process}.
     */
    Optional<NamespaceThread> forChecks(LabNamespace ns) {
        return forChecks(ns.systemName());
    }

    /**
     * {@link #forChecks(LabNamespace)} by system name, for the build, before the lab's namespaces
     * have their handles. Starting the thread here also makes it ready for the lab's first check.
     */
    Optional<NamespaceThread> forChecks(String systemName) {
        if (!engine.settings().get(Setting.CHECKS).equals("auto") || whyNot() != null || closed) {
            return Optional.empty();
        }
        try {
            return Optional.of(threads.computeIfAbsent(
                    systemName, system -> NamespaceThread.start(system, NETNS_DIR.resolve(system))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes the lab's namespaces from this JVM, as {@code ip netns del} would, when it runs as
     * root on the lab's machine: one process fewer per lab.
     *
     * @return the names still to be deleted by running {@code ip}: all of them elsewhere
     */
    List<String> deleteInProcess(List<String> systemNames) {
        if (!engine.kernel().sharesThisJvm()) {
            return systemNames;
        }
        try {
            return NamespaceFiles.delete(systemNames);
        } catch (LinkageError e) {
            // JNA is missing or cannot load: ip netns del does the same, at the price of a process.
            return systemNames;
        }
    }

    /** Whether Java code of this JVM can enter the lab's namespaces now: the lab is open and on this JVM's kernel. */
    boolean canEnter() {
        return !closed && whyNot() == null;
    }

    /** Why this lab's namespaces cannot be entered from this JVM, or {@code null} when they can. */
    private String whyNot() {
        return engine.kernel().whyNoJava().orElse(null);
    }

    /** Ends every thread, so that none holds a namespace the lab is about to delete. */
    List<Throwable> close() {
        closed = true;
        List<Throwable> problems = new ArrayList<>();
        for (NamespaceThread thread : threads.values()) {
            try {
                thread.close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        threads.clear();
        return problems;
    }
}
