package dev.netnslab.internal.reaper;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.iproute.BuildPlan;
import dev.netnslab.internal.settings.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * Cleanup that survives a crash. Every lab leaves an {@linkplain OwnershipRecord ownership record}
 * on its backend's machine, in {@value RecordStore#DEFAULT_DIRECTORY} (0700, root only; files 0600),
 * from before it creates anything until its teardown has succeeded. Three things act on records:
 * <ol>
 *   <li>the lab itself, which removes its record after a clean {@code close()};</li>
 *   <li>a <em>watchdog</em>, one small process per JVM and backend, tied to the JVM by a pipe: when
 *       the JVM dies, even by {@code kill -9}, it deletes what that JVM's records name
 *       ({@code netnslab.watchdog}, default {@code true});</li>
 *   <li>a <em>sweep</em> when a JVM starts its first lab on a backend, which cleans up the records of
 *       owners that are provably dead ({@code netnslab.sweep}, default {@code true}).</li>
 * </ol>
 * A backend whose labs end with this JVM by themselves, whatever kills it (the rootless backend's user
 * namespace), gets none of the three: {@link #claim} writes no record for it, and sweeps find nothing.
 * Only namespaces named in a dead owner's record are ever deleted. An owner is dead when no process
 * with its pid <em>and</em> start time exists (so a reused pid is not mistaken for it) or, for owners
 * on another machine, when its lease on the backend has run out. A foreign namespace, or a lab whose
 * owner lives, is never touched.
 *
 * <pre>{@code
 * SweepReport report = Reaper.sweep(backend);      // what a "doctor" command runs
 * List<OwnershipRecord> labs = Reaper.liveLabs(backend);
 * }</pre>
 */
public final class Reaper {

    private static final System.Logger LOG = System.getLogger("dev.netnslab.internal.reaper");
    private static final ConcurrentMap<String, ReaperSession> SESSIONS = new ConcurrentHashMap<>();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);

    private Reaper() {}

    /**
     * Records that this JVM owns lab {@code labId} and will create exactly {@code namespaces} on
     * {@code backend}. {@link dev.netnslab.Lab} calls this before it creates anything; users never need to.
     * The first claim of a JVM on a backend also sweeps dead owners' labs and starts the watchdog,
     * as the settings say.
     *
     * @throws NetnsLabException when the record cannot be written; then nothing has been created
     */
    public static Claim claim(Kernel backend, Settings settings, String labId, List<String> namespaces) {
        if (endsWithThisJvm(backend)) {
            // Whatever happens to this JVM, its namespaces end with it: a record would protect nothing.
            return new Claim(
                    null,
                    null,
                    new OwnershipRecord(
                            labId,
                            backend.name(),
                            namespaces,
                            Owner.current(),
                            java.time.Instant.now(),
                            java.util.Optional.empty()));
        }
        ReaperSession session = SESSIONS.computeIfAbsent(key(backend), k -> ReaperSession.open(backend, settings));
        return session.claim(backend, labId, namespaces);
    }

    /**
     * Removes the labs of dead owners from {@code backend}: deletes the namespaces their records name
     * that still exist, waits until they are gone, then removes the records. Records that cannot be
     * read, or whose owner is alive or cannot be judged, are left alone.
     *
     * @return what was removed, and what was skipped and why
     */
    public static SweepReport sweep(Kernel backend) {
        if (endsWithThisJvm(backend)) {
            return new SweepReport(List.of(), List.of(), List.of());
        }
        return sweep(backend, RecordStore.of(backend, RecordStore.DEFAULT_DIRECTORY));
    }

    /** The records of labs whose owners are alive (this JVM's included) or cannot be judged from here. */
    public static List<OwnershipRecord> liveLabs(Kernel backend) {
        if (endsWithThisJvm(backend)) {
            return List.of();
        }
        RecordStore store = RecordStore.of(backend, RecordStore.DEFAULT_DIRECTORY);
        List<OwnershipRecord> records = readable(store, new ArrayList<>());
        BackendClock clock = BackendClock.read(
                backend.runner(), records.stream().map(r -> r.owner().pid()).toList());
        return records.stream()
                .filter(r -> r.owner().judge(r.lease(), clock) != Owner.Verdict.DEAD)
                .toList();
    }

    static SweepReport sweep(Kernel backend, RecordStore store) {
        List<String> skipped = new ArrayList<>();
        List<OwnershipRecord> records = readable(store, skipped);
        if (records.isEmpty()) {
            return new SweepReport(List.of(), List.of(), skipped);
        }
        BackendClock clock = BackendClock.read(
                backend.runner(), records.stream().map(r -> r.owner().pid()).toList());
        List<OwnershipRecord> dead = records.stream()
                .filter(r -> r.owner().judge(r.lease(), clock) == Owner.Verdict.DEAD)
                .toList();
        if (dead.isEmpty()) {
            return new SweepReport(List.of(), List.of(), skipped);
        }
        Set<String> existing = namespacesOn(backend);
        List<String> doomed = dead.stream()
                .flatMap(r -> r.namespaces().stream())
                .filter(existing::contains)
                .toList();
        stopProcessesIn(backend, doomed);
        Set<String> remaining = deleteAndWait(backend, doomed);
        List<OwnershipRecord> swept = new ArrayList<>();
        for (OwnershipRecord record : dead) {
            List<String> left =
                    record.namespaces().stream().filter(remaining::contains).toList();
            if (left.isEmpty()) {
                store.remove(record.labId());
                swept.add(record);
            } else {
                skipped.add(record.labId() + ": namespaces " + left + " are still present after deleting them");
            }
        }
        List<String> deleted =
                doomed.stream().filter(n -> !remaining.contains(n)).toList();
        if (!swept.isEmpty()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "netns-lab: removed {0} lab(s) left behind by dead JVMs: {1}",
                    swept.size(),
                    deleted);
        }
        return new SweepReport(swept, deleted, skipped);
    }

    private static List<OwnershipRecord> readable(RecordStore store, List<String> skipped) {
        List<OwnershipRecord> records = new ArrayList<>();
        for (Map.Entry<String, String> entry : store.readAll().entrySet()) {
            try {
                OwnershipRecord record = OwnershipRecord.parse(entry.getValue());
                if (!record.labId().equals(entry.getKey())) {
                    throw new IllegalArgumentException("it is stored as " + entry.getKey() + RecordStore.SUFFIX
                            + " but names lab " + record.labId());
                }
                records.add(record);
            } catch (IllegalArgumentException e) {
                skipped.add(entry.getKey() + ": " + e.getMessage());
            }
        }
        return records;
    }

    /** The names {@code ip netns list} shows on the backend. */
    static Set<String> namespacesOn(Kernel backend) {
        ExecResult result = backend.runner().run(Command.of(TIMEOUT, List.of(backend.ip(), "netns", "list")));
        if (!result.isSuccess()) {
            throw new NetnsLabException(
                    "Could not list the namespaces on " + backend.runner().describe() + "\n" + result.describe());
        }
        return firstWords(result.stdout());
    }

    /**
     * Kills the processes inside {@code names}: a dead JVM's spawned servers would otherwise keep its
     * namespaces alive, nameless, after they are deleted. Only processes in those namespaces are listed.
     */
    static void stopProcessesIn(Kernel backend, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        String batch = names.stream().map(n -> "netns pids " + n + "\n").collect(Collectors.joining());
        ExecResult listed = backend.runner()
                .run(Command.of(TIMEOUT, List.of(backend.ip(), "-force", "-batch", "-"))
                        .withStdin(batch));
        List<String> pids = listed.stdout()
                .lines()
                .map(String::strip)
                .filter(l -> l.matches("[0-9]+"))
                .distinct()
                .toList();
        if (!pids.isEmpty()) {
            List<String> kill = new ArrayList<>(List.of("kill", "-KILL", "--"));
            kill.addAll(pids);
            backend.runner().run(Command.of(TIMEOUT, kill));
        }
    }

    /** Deletes {@code names} in one batch and waits until they are gone; returns those still there after a few seconds. */
    static Set<String> deleteAndWait(Kernel backend, List<String> names) {
        Set<String> remaining = new LinkedHashSet<>(names);
        Deadline deadline = Deadline.in(GONE_WITHIN);
        while (!remaining.isEmpty()) {
            ExecResult result = backend.runner()
                    .run(Command.of(TIMEOUT, List.of(backend.ip(), "-force", "-batch", "-"))
                            .withStdin(BuildPlan.script(BuildPlan.teardown(List.copyOf(remaining)))));
            remaining.retainAll(firstWords(result.stdout()));
            if (remaining.isEmpty() || deadline.isPast()) {
                break;
            }
            deadline.sleep(Duration.ofMillis(50), "for swept namespaces to go");
        }
        return remaining;
    }

    private static Set<String> firstWords(String listing) {
        return listing.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .map(l -> l.split("\\s+")[0])
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Whether {@code backend}'s labs end with this JVM by themselves (the rootless backend's user
     * namespace does): then there are no records to write, no watchdog to start and nothing to sweep.
     */
    public static boolean endsWithThisJvm(Kernel backend) {
        return !backend.needsOwnershipRecords();
    }

    private static String key(Kernel backend) {
        return backend.name() + "|" + backend.runner().describe();
    }

    /**
     * A lab's claim on its namespaces: its ownership record, held from before the lab creates
     * anything until {@link #release()} after a clean teardown.
     */
    public static final class Claim {
        private final ReaperSession session;
        private final RecordStore store;
        private volatile OwnershipRecord record;
        private boolean released;

        Claim(ReaperSession session, RecordStore store, OwnershipRecord record) {
            this.session = session;
            this.store = store;
            this.record = record;
        }

        /** The record as last written. */
        public OwnershipRecord record() {
            return record;
        }

        /** Where the record lives on the backend's machine; a lab whose backend ends with this JVM has none. */
        public String path() {
            return store == null ? "(none: the lab ends with this JVM)" : store.directory() + "/" + record.fileName();
        }

        /**
         * Removes the record: call it only once everything the record names is gone. Idempotent.
         *
         * @throws NetnsLabException when the record cannot be removed
         */
        public synchronized void release() {
            if (released) {
                return;
            }
            released = true;
            if (store == null) {
                return;
            }
            session.forget(this);
            store.remove(record.labId());
        }

        synchronized void renew(Owner.Lease lease) {
            if (released) {
                return;
            }
            OwnershipRecord renewed = record.withLease(lease);
            store.write(renewed);
            record = renewed;
        }
    }
}
