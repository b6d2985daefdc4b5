package dev.netnslab.internal.engine;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.iproute.BuildPlan;
import dev.netnslab.internal.reaper.Reaper;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.internal.topology.Names;
import dev.netnslab.internal.topology.Topology;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * One running lab, as the engine sees it: its namespaces on a {@link Kernel}, the settings, the
 * ownership claim, the neighbour reservation, the processes and captures it started, the threads of
 * this JVM inside it and the faults a test switched on. {@code dev.netnslab.Lab} is the user's
 * handle on one; everything the handle does to the system goes through here.
 */
public final class LabEngine {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final String id;
    private final Kernel kernel;
    private final Settings settings;
    private final Topology topology;
    private final Map<String, LabNamespace> namespaces = new LinkedHashMap<>();
    private final List<BackgroundProcess> processes = new CopyOnWriteArrayList<>();
    private final List<PacketCapture> captures = new CopyOnWriteArrayList<>();
    private final AtomicInteger captureCount = new AtomicInteger();
    private final LabThreads threads = new LabThreads(this);
    private final LabFaults faults = new LabFaults(this);
    /** Whether {@link #close()} closes the kernel too: the one a lab selected for itself alone. */
    private boolean ownsKernel;

    private Reaper.Claim claim;
    private int neighbourEntries;
    private boolean closed;
    /** Whether a command ran inside a namespace, so that a daemon it left may still run there. */
    private volatile boolean ranInside;

    LabEngine(String id, Kernel kernel, Settings settings, Topology topology) {
        this.id = id;
        this.kernel = kernel;
        this.settings = settings;
        this.topology = topology;
    }

    /**
     * Builds {@code topology} on {@code kernel}, with a fresh id.
     *
     * @throws dev.netnslab.InvalidLabSpecException before anything is touched, when the names do not fit
     * @throws NetnsLabException when a step fails; what the lab created has been removed again
     */
    public static LabEngine start(Topology topology, Kernel kernel, Settings settings) {
        return start(topology, kernel, settings, newId());
    }

    /** With an id that tests may choose to make a name collide on purpose. */
    public static LabEngine start(Topology topology, Kernel kernel, Settings settings, String id) {
        return LabStart.run(new LabEngine(id, kernel, settings, topology));
    }

    /** A fresh lab id: {@code nl} and six random letters or digits. */
    public static String newId() {
        StringBuilder id = new StringBuilder("nl");
        for (int i = 0; i < 6; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    /** Called once the build succeeded: the namespaces by logical name, host first. */
    void built(Map<String, String> systemNames) {
        systemNames.forEach((name, system) -> namespaces.put(name, new LabNamespace(this, name, system)));
    }

    /** This lab closes its kernel when it closes. */
    public void ownKernel() {
        this.ownsKernel = true;
    }

    public String id() {
        return id;
    }

    public Kernel kernel() {
        return kernel;
    }

    public Settings settings() {
        return settings;
    }

    /** The validated topology the lab was built from. */
    public Topology topology() {
        return topology;
    }

    /** The host side. */
    public LabNamespace host() {
        return namespaces.get(Names.HOST);
    }

    /** Every namespace, host first, by logical name. */
    public Map<String, LabNamespace> namespaces() {
        return Collections.unmodifiableMap(namespaces);
    }

    /**
     * The namespace called {@code name}.
     *
     * @throws IllegalArgumentException when the lab has none; the message lists those it has
     */
    public LabNamespace namespace(String name) {
        LabNamespace ns = namespaces.get(name);
        if (ns == null) {
            throw new IllegalArgumentException(
                    "Lab " + id + " has no namespace '" + name + "'; it has " + namespaces.keySet());
        }
        return ns;
    }

    public Duration commandTimeout() {
        return settings.get(Setting.COMMAND_TIMEOUT);
    }

    /** Runs {@code ip ARGS} on the kernel, in its root namespace (or {@code -n NS} when the args say so). */
    public ExecResult runIp(List<String> args, String stdin) {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(kernel.ip());
        argv.addAll(args);
        return run(argv, stdin, commandTimeout());
    }

    /** Runs {@code argv} inside the system namespace {@code systemName}. */
    ExecResult runInNamespace(String systemName, List<String> argv, String stdin, Duration timeout) {
        ranInside = true;
        return run(inside(systemName, argv), stdin, timeout);
    }

    /** Starts {@code argv} inside the system namespace {@code systemName}; the lab stops it when it closes. */
    BackgroundProcess spawnInNamespace(String systemName, List<String> argv) {
        ranInside = true;
        BackgroundProcess process = kernel.start(Command.of(Duration.ofDays(1), inside(systemName, argv)));
        processes.add(process);
        return process;
    }

    private ExecResult run(List<String> argv, String stdin, Duration timeout) {
        Command command = Command.of(timeout, argv);
        return kernel.run(stdin == null ? command : command.withStdin(stdin));
    }

    /** The one place that builds the argv entering a namespace: {@code ip netns exec NS ...}. */
    List<String> inside(String systemName, List<String> argv) {
        List<String> all = new ArrayList<>(List.of(kernel.ip(), "netns", "exec", systemName));
        all.addAll(argv);
        return all;
    }

    /** Records who owns {@code systemNames} before any of them exists, so a crash cannot orphan them. */
    void claim(List<String> systemNames) {
        claim = Reaper.claim(kernel, settings, id, systemNames);
    }

    /**
     * Hands the lab over for good: its ownership record is removed, so neither the watchdog nor a
     * later sweep deletes it when this JVM ends.
     */
    public void releaseClaim() {
        if (claim != null) {
            claim.release();
        }
    }

    void reserveNeighbours() {
        neighbourEntries = NeighbourBudget.of(kernel).reserve(id, topology, settings);
    }

    void releaseNeighbours() {
        NeighbourBudget.of(kernel).release(neighbourEntries);
        neighbourEntries = 0;
    }

    /**
     * Deletes the given system namespaces in one {@code ip -force -batch} and checks that they are
     * gone, retrying for a few seconds if the kernel is slow to let go.
     */
    void deleteNamespaces(List<String> systemNames) {
        if (systemNames.isEmpty()) {
            return;
        }
        List<String> remaining = threads.deleteInProcess(systemNames);
        if (remaining.isEmpty()) {
            return;
        }
        Deadline deadline = Deadline.in(Duration.ofSeconds(5));
        while (true) {
            ExecResult last = runIp(List.of("-force", "-batch", "-"), BuildPlan.script(BuildPlan.teardown(remaining)));
            Set<String> listed =
                    last.stdout().lines().map(l -> l.split("\\s+")[0]).collect(Collectors.toSet());
            remaining = remaining.stream().filter(listed::contains).collect(Collectors.toList());
            if (remaining.isEmpty()) {
                return;
            }
            if (deadline.isPast()) {
                throw new NetnsLabException("Namespaces of lab " + id + " are still present after deleting them: "
                        + remaining + "\n" + last.describe());
            }
            deadline.sleep(Duration.ofMillis(50), "for the namespaces of lab " + id + " to go");
        }
    }

    /** Whether {@link #close()} has run. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Stops the lab's processes, deletes its namespaces, drops its record and closes a kernel it
     * owns. Idempotent. Carries on past errors and returns every one of them.
     */
    public List<Throwable> close() {
        synchronized (this) {
            if (closed) {
                return List.of();
            }
            closed = true;
        }
        // Threads first: a thread inside a namespace keeps it alive after its name is deleted.
        List<Throwable> problems = new ArrayList<>(threads.close());
        // Deleting the namespaces undoes every fault, all of which live inside them.
        faults.forget();
        // Captures before the other processes: closing one lets tcpdump finish its file and, on a
        // kernel whose files are not this machine's, copies the file here while the namespace exists.
        for (PacketCapture capture : captures) {
            try {
                capture.close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        for (BackgroundProcess process : processes) {
            try {
                process.close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        releaseNeighbours();
        if (ranInside) {
            try {
                NamespaceProcesses.kill(this);
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        try {
            deleteNamespaces(
                    namespaces.values().stream().map(LabNamespace::systemName).toList());
            releaseClaim();
        } catch (RuntimeException e) {
            // The record stays when the namespaces do: once this JVM is gone, they are swept.
            problems.add(e);
        }
        if (ownsKernel) {
            try {
                kernel.close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        return problems;
    }

    LabThreads threads() {
        return threads;
    }

    /** The faults a test switched on. */
    public LabFaults faults() {
        return faults;
    }

    /** The packet captures started in this lab, running or stopped, oldest first. */
    public List<PacketCapture> captures() {
        return List.copyOf(captures);
    }

    PacketCapture register(PacketCapture capture) {
        captures.add(capture);
        return capture;
    }

    /** {@code netnslab.outputDir}, made absolute against the working directory. */
    public Path outputDirectory() {
        return Path.of(settings.get(Setting.OUTPUT_DIR)).toAbsolutePath();
    }

    Path nextCaptureFile(String namespace, String iface) {
        return outputDirectory()
                .resolve("captures")
                .resolve(id + "-" + namespace + "-" + iface + "-" + captureCount.incrementAndGet() + ".pcap");
    }

    @Override
    public String toString() {
        return "Lab " + id + " " + namespaces.keySet() + " on " + kernel.name();
    }
}
