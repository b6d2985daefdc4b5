package dev.netnslab.internal;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.internal.topology.Topology;

/**
 * How the library's own internal packages (and the JUnit extension) reach what the API keeps
 * package-private, without making it public: the validated {@link Topology} behind a
 * {@link LabSpec}, and starting a lab with given {@link Settings}. The API package installs the one
 * implementation when {@link LabSpec} is loaded. This package is not exported to users.
 */
public final class ApiAccess {

    /** What the API package offers its internals. */
    public interface Hooks {
        /** The validated topology that {@code spec} was built from. */
        Topology topology(LabSpec spec);

        /** The settings {@code lab} reads its timeouts from. */
        Settings settings(Lab lab);

        /** Builds {@code spec} on {@code backend} with {@code settings}; the backend stays open. */
        Lab start(LabSpec spec, Backend backend, Settings settings);

        /** The faults active in {@code lab}, as notes per logical namespace name; namespaces without faults are left out. */
        java.util.Map<String, java.util.List<String>> activeFaults(Lab lab);

        /** A thread of this JVM inside {@code ns} that checks may probe from, or empty when they must run as processes. */
        java.util.Optional<dev.netnslab.internal.netns.NamespaceThread> checkThread(dev.netnslab.Namespace ns);

        /** The backend {@code lab} runs on. */
        Backend backend(Lab lab);
    }

    private static volatile Hooks hooks;

    private ApiAccess() {
    }

    /**
     * Called once, by the API package.
     *
     * @throws IllegalStateException on a second call
     */
    public static synchronized void install(Hooks implementation) {
        if (hooks != null) {
            throw new IllegalStateException("ApiAccess is installed already");
        }
        hooks = implementation;
    }

    /** The topology behind {@code spec}. */
    public static Topology topology(LabSpec spec) {
        return hooks().topology(spec);
    }

    /** The settings {@code lab} reads its timeouts from. */
    public static Settings settings(Lab lab) {
        return hooks().settings(lab);
    }

    /** Starts a lab with explicit settings, as the JUnit extension does with its configuration parameters. */
    public static Lab start(LabSpec spec, Backend backend, Settings settings) {
        return hooks().start(spec, backend, settings);
    }

    /** The faults active in {@code lab}, as notes per logical namespace: {@code fault: veth2 down}. */
    public static java.util.Map<String, java.util.List<String>> activeFaults(Lab lab) {
        return hooks().activeFaults(lab);
    }

    /** The thread inside {@code ns} that in-process checks use, or empty when checks run as processes. */
    public static java.util.Optional<dev.netnslab.internal.netns.NamespaceThread> checkThread(dev.netnslab.Namespace ns) {
        return hooks().checkThread(ns);
    }

    /** The backend {@code lab} runs on. */
    public static Backend backend(Lab lab) {
        return hooks().backend(lab);
    }

    private static Hooks hooks() {
        Hooks installed = hooks;
        if (installed == null) {
            try {
                // Loading LabSpec runs its static initialiser, which installs the hooks.
                Class.forName(LabSpec.class.getName(), true, LabSpec.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            installed = hooks;
        }
        return installed;
    }
}
