package dev.netnslab;

import dev.netnslab.backend.Backend;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.backend.RunnerBackend;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.iproute.BuildPlan;
import dev.netnslab.internal.reaper.Reaper;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The machinery behind one {@link Lab}: the backend and how commands reach it, the settings, the
 * ownership claim, the neighbour reservation and the processes the lab started. {@link Lab} and
 * {@link Namespace} are the user's handles; everything they do to the system goes through here.
 */
final class LabEngine {

    private final String id;
    private final Backend backend;
    private final CommandRunner runner;
    private final Settings settings;
    private final List<BackgroundProcess> processes = new CopyOnWriteArrayList<>();
    private final AtomicInteger captureCount = new AtomicInteger();
    /** The backend {@link Lab#start(LabSpec)} selected for this lab alone, closed with it; null when the caller owns it. */
    private Backend ownedBackend;
    private Reaper.Claim claim;
    private int neighbourEntries;
    /** Threads of this JVM inside the lab's namespaces (Namespace.call, in-process checks). */
    private final LabThreads threads = new LabThreads(this);
    /** Faults the test switched on while the lab runs (Lab.link, Lab.partition). */
    private final LabFaults faults = new LabFaults(this);

    LabEngine(String id, Backend backend, Settings settings) {
        this.id = id;
        this.backend = backend;
        this.runner = RunnerBackend.runnerOf(backend);
        this.settings = settings;
    }

    String id() {
        return id;
    }

    Backend backend() {
        return backend;
    }

    Settings settings() {
        return settings;
    }

    void ownBackend() {
        this.ownedBackend = backend;
    }

    Duration commandTimeout() {
        return settings.get(Setting.COMMAND_TIMEOUT);
    }

    /** Runs {@code ip ARGS} on the backend, in its root namespace (or {@code -n NS} when the args say so). */
    ExecResult runIp(List<String> args, String stdin) {
        List<String> argv = new ArrayList<>();
        argv.add(backend.ip());
        argv.addAll(args);
        return run(argv, stdin, commandTimeout());
    }

    /** Runs {@code argv} inside the system namespace {@code systemName}. */
    ExecResult runInNamespace(String systemName, List<String> argv, String stdin, Duration timeout) {
        return run(inside(systemName, argv), stdin, timeout);
    }

    /** Starts {@code argv} inside the system namespace {@code systemName}; the lab stops it when it closes. */
    BackgroundProcess spawnInNamespace(String systemName, List<String> argv) {
        BackgroundProcess process = runner.start(Command.of(Duration.ofDays(1), inside(systemName, argv)));
        processes.add(process);
        return process;
    }

    private ExecResult run(List<String> argv, String stdin, Duration timeout) {
        Command command = Command.of(timeout, argv);
        return runner.run(stdin == null ? command : command.withStdin(stdin));
    }

    /** The one place that builds the argv entering a namespace: {@code ip netns exec NS ...}. */
    List<String> inside(String systemName, List<String> argv) {
        List<String> all = new ArrayList<>(List.of(backend.ip(), "netns", "exec", systemName));
        all.addAll(argv);
        return all;
    }

    /** Records who owns {@code systemNames} before any of them exists, so a crash cannot orphan them. */
    void claim(List<String> systemNames) {
        claim = Reaper.claim(backend, settings, id, systemNames);
    }

    /** Removes the ownership record; only once everything it names is gone, or when the lab is kept. */
    void releaseClaim() {
        if (claim != null) {
            claim.release();
        }
    }

    void reserveNeighbours(LabSpec spec) {
        neighbourEntries = NeighbourBudget.of(backend).reserve(id, spec.topology(), settings);
    }

    void releaseNeighbours() {
        NeighbourBudget.of(backend).release(neighbourEntries);
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
            Set<String> listed = last.stdout().lines().map(l -> l.split("\\s+")[0]).collect(Collectors.toSet());
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

    /**
     * Stops the lab's processes, deletes its namespaces, drops its record and closes a backend it
     * owns. Carries on past errors and returns every one of them.
     */
    List<Throwable> shutdown(List<String> systemNames) {
        // Threads first: a thread inside a namespace keeps it alive after its name is deleted.
        List<Throwable> problems = new ArrayList<>(threads.close());
        // Deleting the namespaces undoes every fault, all of which live inside them.
        faults.forget();
        for (BackgroundProcess process : processes) {
            try {
                process.close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        releaseNeighbours();
        try {
            deleteNamespaces(systemNames);
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
        return problems;
    }

    LabThreads threads() {
        return threads;
    }

    LabFaults faults() {
        return faults;
    }

    /** {@code netnslab.outputDir}, made absolute against the working directory. */
    Path outputDirectory() {
        return Path.of(settings.get(Setting.OUTPUT_DIR)).toAbsolutePath();
    }

    Path nextCaptureFile(String namespace, String iface) {
        return outputDirectory().resolve("captures")
                .resolve(id + "-" + namespace + "-" + iface + "-" + captureCount.incrementAndGet() + ".pcap");
    }

    @Override
    public String toString() {
        return "lab " + id + " on " + backend.name();
    }
}
