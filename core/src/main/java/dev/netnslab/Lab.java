package dev.netnslab;

import dev.netnslab.backend.Backend;
import dev.netnslab.backend.Backends;
import dev.netnslab.exec.BackgroundProcess;
import dev.netnslab.exec.Command;
import dev.netnslab.iproute.BuildPlan;
import dev.netnslab.reaper.Reaper;
import dev.netnslab.topology.Names;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A running lab: real network namespaces on a backend's kernel, built from a {@link LabSpec}.
 *
 * <h2>Creation</h2>
 * {@link #start(LabSpec)} builds the whole lab with a handful of {@code ip -batch} processes. If any
 * step fails, everything this lab created is removed again before the exception is thrown.
 *
 * <h2>Names</h2>
 * Each lab has a short random {@linkplain #id() id}. The namespace {@code netns1} of the spec is
 * {@code netns1-<id>} in {@code ip netns list}, so labs with identical specs run side by side;
 * {@link Namespace#name()} is still {@code netns1}. Interface names inside namespaces are exactly
 * those of the spec.
 *
 * <h2>Clean up</h2>
 * {@link #close()} stops the processes the lab spawned, deletes the lab's namespaces (which
 * destroys their interfaces) and checks they are gone. It never touches anything the lab did not create.
 * Should the JVM die first, even by {@code kill -9}, the lab's ownership record lets a watchdog, or
 * the next run, remove it: see {@link dev.netnslab.reaper.Reaper}.
 *
 * <pre>{@code
 * try (Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null))) {
 *     assertThat(lab.host()).canPing("10.200.1.1");
 * }
 * }</pre>
 */
public final class Lab implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final String id;
    /** The backend {@link #start(LabSpec)} selected for this lab alone, closed with it; null when the caller owns it. */
    private Backend ownedBackend;
    private final LabSpec spec;
    private final Backend backend;
    private final Settings settings;
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final List<BackgroundProcess> processes = new CopyOnWriteArrayList<>();
    private final List<Capture> captures = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger captureCount = new java.util.concurrent.atomic.AtomicInteger();
    private boolean closed;
    private Reaper.Claim claim;
    private int neighbourEntries;

    private Lab(String id, LabSpec spec, Backend backend, Settings settings, Map<String, String> systemNames) {
        this.id = id;
        this.spec = spec;
        this.backend = backend;
        this.settings = settings;
        systemNames.forEach((name, system) -> namespaces.put(name, new Namespace(this, name, system)));
    }

    /**
     * Builds {@code spec} on the backend that {@code netnslab.backend} selects (the local kernel by
     * default). That backend belongs to this lab: {@link #close()} closes it too (an SSH connection,
     * for example).
     */
    public static Lab start(LabSpec spec) {
        Settings settings = Settings.fromSystem();
        Backend backend = Backends.select(settings);
        try {
            Lab lab = start(spec, backend, settings);
            lab.ownedBackend = backend;
            return lab;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** Builds {@code spec} on {@code backend}. The backend stays open; closing the lab does not close it. */
    public static Lab start(LabSpec spec, Backend backend) {
        return start(spec, backend, Settings.fromSystem());
    }

    /** Builds {@code spec} on {@code backend}, reading timeouts from {@code settings}. */
    public static Lab start(LabSpec spec, Backend backend, Settings settings) {
        return start(spec, backend, settings, newId());
    }

    /** With a given id, so tests can make a name collide on purpose. */
    static Lab start(LabSpec spec, Backend backend, Settings settings, String id) {
        BuildPlan plan = BuildPlan.render(spec.topology(), name -> name + "-" + id);
        Lab lab = new Lab(id, spec, backend, settings, plan.systemNames());
        lab.neighbourEntries = NeighbourBudget.of(backend).reserve(id, spec.topology(), settings);
        try {
            // The ownership record comes first: whatever happens to this JVM from here on, a watchdog
            // or the next run's sweep knows exactly which namespaces to remove.
            lab.claim = Reaper.claim(backend, settings, id, List.copyOf(plan.systemNames().values()));
            new LabBuild(lab, plan).run();
        } catch (RuntimeException e) {
            lab.releaseNeighbourEntries();
            throw e;
        }
        return lab;
    }

    static String newId() {
        StringBuilder id = new StringBuilder("nl");
        for (int i = 0; i < 6; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    /** This lab's id, the suffix of its namespaces' system names, e.g. {@code nl4k2x9q}. */
    public String id() {
        return id;
    }

    /** The spec this lab was built from. */
    public LabSpec spec() {
        return spec;
    }

    /** The host side: the lab's sandbox namespace that holds {@code veth1} and the host address. */
    public Namespace host() {
        return namespaces.get(Names.HOST);
    }

    /**
     * The namespace with logical name {@code name}, as written in the spec ({@code host} gives {@link #host()}).
     *
     * @throws IllegalArgumentException when the lab has no such namespace; the message lists those it has
     */
    public Namespace namespace(String name) {
        Namespace ns = namespaces.get(name);
        if (ns == null) {
            throw new IllegalArgumentException("Lab " + id + " has no namespace '" + name + "'; it has "
                    + namespaces.keySet());
        }
        return ns;
    }

    /** The user's namespaces in spec order, without {@link #host()}. */
    public List<Namespace> namespaces() {
        return namespaces.values().stream().filter(ns -> !ns.name().equals(Names.HOST))
                .collect(Collectors.toUnmodifiableList());
    }

    /** Whether {@link #close()} has run. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Stops the lab's processes, deletes its namespaces and waits until {@code ip netns list} no
     * longer shows them. Idempotent. Problems are collected and thrown together at the end.
     *
     * @throws NetnsLabException listing what could not be removed
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        List<Throwable> problems = new ArrayList<>();
        for (BackgroundProcess process : processes) {
            try {
                process.close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        releaseNeighbourEntries();
        try {
            deleteNamespaces(systemNames());
            releaseClaim();
        } catch (RuntimeException e) {
            // The record stays when the namespaces do: once this JVM is gone, they are swept.
            problems.add(e);
        }
        if (ownedBackend != null) {
            try {
                ownedBackend.close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        if (!problems.isEmpty()) {
            NetnsLabException failure = new NetnsLabException("Could not fully tear down lab " + id + ": "
                    + problems.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")));
            problems.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /**
     * Deletes the given system namespaces in one {@code ip -force -batch} and checks that they are
     * gone, retrying for a few seconds if the kernel is slow to let go.
     */
    void deleteNamespaces(List<String> systemNames) {
        if (systemNames.isEmpty()) {
            return;
        }
        List<String> remaining = systemNames;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        ExecResult last = null;
        while (true) {
            last = runIp(List.of("-force", "-batch", "-"), BuildPlan.script(BuildPlan.teardown(remaining)));
            Set<String> listed = last.stdout().lines().map(l -> l.split("\\s+")[0]).collect(Collectors.toSet());
            remaining = remaining.stream().filter(listed::contains).collect(Collectors.toList());
            if (remaining.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new NetnsLabException("Namespaces of lab " + id + " are still present after deleting them: "
                        + remaining + "\n" + last.describe());
            }
            sleep(Duration.ofMillis(50));
        }
    }

    ExecResult runIp(List<String> args, String stdin) {
        List<String> argv = new ArrayList<>();
        argv.add(backend.ip());
        argv.addAll(args);
        Command command = Command.of(commandTimeout(), argv);
        if (stdin != null) {
            command = command.withStdin(stdin);
        }
        return backend.runner().run(command);
    }

    /**
     * Hands this lab over to you for good: its ownership record is removed, so neither the
     * watchdog nor a later sweep deletes it when this JVM ends. Its namespaces stay until you
     * delete them ({@code ip netns del NAME}, see {@link Namespace#systemName()}) or call
     * {@link #close()}. This is what {@code netnslab.keepOnFailure=true} does to a failed test's lab.
     */
    public void keep() {
        releaseClaim();
    }

    /** Removes the ownership record; only once everything it names is gone, or when the lab is kept. */
    void releaseClaim() {
        if (claim != null) {
            claim.release();
        }
    }

    private void releaseNeighbourEntries() {
        NeighbourBudget.of(backend).release(neighbourEntries);
        neighbourEntries = 0;
    }

    /** Runs {@code argv} inside the system namespace {@code systemName}, for build steps. */
    ExecResult runInNamespace(String systemName, List<String> argv, String stdin) {
        Command command = Command.of(commandTimeout(), inside(systemName, argv));
        return backend.runner().run(stdin == null ? command : command.withStdin(stdin));
    }

    /** The argv that runs {@code argv} inside the system namespace {@code systemName}: {@code ip netns exec NS ...}. */
    List<String> inside(String systemName, List<String> argv) {
        List<String> all = new ArrayList<>(List.of(backend.ip(), "netns", "exec", systemName));
        all.addAll(argv);
        return all;
    }

    List<String> systemNames() {
        return namespaces.values().stream().map(Namespace::systemName).collect(Collectors.toList());
    }

    Backend backend() {
        return backend;
    }

    /** The settings this lab reads its timeouts from. */
    public Settings settings() {
        return settings;
    }

    Duration commandTimeout() {
        return settings.getDuration(Settings.COMMAND_TIMEOUT, Duration.ofSeconds(30));
    }

    /**
     * Starts a packet capture on interface {@code iface} of namespace {@code ns}; the same as
     * {@code lab.namespace(ns).capture(iface)}, see {@link Namespace#capture(String)}.
     *
     * <pre>{@code
     * try (Capture capture = lab.capture("netns1", "veth2")) {
     *     assertThat(lab.host()).canPing("10.200.1.1");
     * }
     * }</pre>
     */
    public Capture capture(String ns, String iface) {
        return namespace(ns).capture(iface);
    }

    /** The packet captures started in this lab, running or stopped, oldest first. */
    public List<Capture> captures() {
        return List.copyOf(captures);
    }

    /**
     * Where this lab writes files (diagrams, packet captures): {@code netnslab.outputDir}, default
     * {@code target/netnslab}, made absolute against the working directory.
     */
    public Path outputDirectory() {
        return Path.of(settings.get(Settings.OUTPUT_DIR, "target/netnslab")).toAbsolutePath();
    }

    Path nextCaptureFile(Namespace ns, String iface) {
        return outputDirectory().resolve("captures")
                .resolve(id + "-" + ns.name() + "-" + iface + "-" + captureCount.incrementAndGet() + ".pcap");
    }

    Capture register(Capture capture) {
        captures.add(capture);
        return capture;
    }

    BackgroundProcess track(BackgroundProcess process) {
        processes.add(process);
        return process;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetnsLabException("Interrupted while waiting for namespaces to go", e);
        }
    }

    @Override
    public String toString() {
        return "Lab " + id + " " + Collections.unmodifiableSet(namespaces.keySet()) + " on " + backend.name();
    }
}
