package dev.netnslab.internal.reaper;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This JVM's dealings with one backend: opened by the first lab, it sweeps dead owners' labs once,
 * keeps the watchdog running and, on a backend on another machine, renews the leases of its labs.
 */
final class ReaperSession {

    private static final System.Logger LOG = System.getLogger("dev.netnslab.internal.reaper");
    /** How long a remote lab stays alive without its owner renewing the lease. */
    static final Duration LEASE = Duration.ofSeconds(60);

    private final Owner owner;
    private final RecordStore store;
    private final boolean remote;
    private boolean watchdogEnabled;
    private final Set<Reaper.Claim> claims = ConcurrentHashMap.newKeySet();
    private BackgroundProcess watchdog;
    private ScheduledExecutorService heartbeat;

    private ReaperSession(Owner owner, RecordStore store, boolean remote, boolean watchdogEnabled) {
        this.owner = owner;
        this.store = store;
        this.remote = remote;
        this.watchdogEnabled = watchdogEnabled;
    }

    static ReaperSession open(Kernel backend, Settings settings) {
        return open(backend, settings, RecordStore.of(backend, RecordStore.DEFAULT_DIRECTORY));
    }

    static ReaperSession open(Kernel backend, Settings settings, RecordStore store) {
        store.ensureDirectory();
        Owner owner = Owner.current();
        // The backend's machine is this one when it has booted with the same id, whatever the
        // backend is called (ssh to localhost included); then pids can be checked there.
        boolean remote =
                !BackendClock.read(backend.runner(), List.of()).bootId().equals(owner.bootId());
        ReaperSession session = new ReaperSession(owner, store, remote, settings.get(Setting.WATCHDOG));
        if (settings.get(Setting.SWEEP)) {
            try {
                Reaper.sweep(backend, store);
            } catch (RuntimeException e) {
                // A failed sweep must not fail this run's labs; the next run tries again.
                LOG.log(
                        Level.WARNING,
                        "netns-lab: could not sweep labs left behind by dead JVMs on " + backend.name()
                                + "; run Reaper.sweep to retry",
                        e);
            }
        }
        return session;
    }

    Reaper.Claim claim(Kernel backend, String labId, List<String> namespaces) {
        ensureWatchdog(backend);
        Optional<Owner.Lease> lease = remote ? Optional.of(newLease(backend)) : Optional.empty();
        OwnershipRecord record = new OwnershipRecord(labId, backend.name(), namespaces, owner, Instant.now(), lease);
        RecordStore labStore = RecordStore.of(backend, store.directory());
        labStore.write(record);
        Reaper.Claim claim = new Reaper.Claim(this, labStore, record);
        claims.add(claim);
        if (remote) {
            ensureHeartbeat(backend);
        }
        return claim;
    }

    void forget(Reaper.Claim claim) {
        claims.remove(claim);
    }

    /** Starts the watchdog, or restarts it if it has died; a watchdog that cannot run is reported, not fatal. */
    private synchronized void ensureWatchdog(Kernel backend) {
        if (!watchdogEnabled || (watchdog != null && watchdog.isAlive())) {
            return;
        }
        try {
            String folder = store.directory().substring(0, store.directory().lastIndexOf('/'));
            watchdog = Watchdog.start(backend.runner(), folder, owner, backend.ip(), List.of(store.directory()));
        } catch (UnsupportedOperationException e) {
            // A remote runner cannot tie a process to this JVM; its labs carry a lease instead, which
            // lets the next run's sweep take them once this JVM stops renewing it. Nothing is wrong.
            LOG.log(
                    remote ? Level.INFO : Level.WARNING,
                    "netns-lab: no watchdog on " + backend.name() + " ("
                            + e.getMessage() + "); if this JVM is killed, its labs stay until the next run's sweep ("
                            + Setting.SWEEP.key() + ")" + (remote ? ", once their lease runs out" : ""));
            watchdogEnabled = false;
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "netns-lab: could not start the watchdog on " + backend.name()
                            + "; if this JVM is killed, its labs stay until the next run's sweep ("
                            + Setting.SWEEP.key() + ")",
                    e);
            watchdogEnabled = false;
        }
    }

    private Owner.Lease newLease(Kernel backend) {
        BackendClock clock = BackendClock.read(backend.runner(), List.of());
        return new Owner.Lease(clock.bootId(), clock.uptimeSeconds() + LEASE.toSeconds());
    }

    /** Renews every live claim's lease a few times per lease period, on one daemon thread. */
    private synchronized void ensureHeartbeat(Kernel backend) {
        if (heartbeat != null) {
            return;
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "netnslab-lease-" + backend.name());
            thread.setDaemon(true);
            return thread;
        });
        long period = LEASE.toSeconds() / 3;
        heartbeat.scheduleAtFixedRate(() -> renewAll(backend), period, period, TimeUnit.SECONDS);
    }

    void renewAll(Kernel backend) {
        if (claims.isEmpty()) {
            return;
        }
        try {
            Owner.Lease lease = newLease(backend);
            claims.forEach(claim -> claim.renew(lease));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "netns-lab: could not renew the leases of this JVM's labs on " + backend.name(), e);
        }
    }

    /** Stops the heartbeat and the watchdog; tests only (a JVM's session lives as long as the JVM). */
    synchronized void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        if (watchdog != null) {
            watchdog.close();
        }
    }
}
