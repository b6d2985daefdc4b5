package dev.netnslab.junit;

import dev.netnslab.Lab;
import dev.netnslab.internal.junit.EngineAccess;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running lab, as a value of the store of the context that declared it. JUnit closes it when that
 * context ends, as it closes the paths of {@code @TempDir}; a lab marked to keep after a failure is
 * kept at that moment instead, and the commands to enter and delete it are logged.
 */
final class LabResource implements AutoCloseable {

    private static final Logger LOG = System.getLogger("dev.netnslab.junit");

    private final Lab lab;
    private final boolean sharedByRun;
    private final Set<RunningLabs> servedRegistrations = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean keep = new AtomicBoolean();

    /** @param sharedByRun whether the lab lives in the root store and serves every class that shares it */
    LabResource(Lab lab, boolean sharedByRun) {
        this.lab = lab;
        this.sharedByRun = sharedByRun;
    }

    /**
     * The lab, for {@code registration}, which from now on answers {@link NetnsLabExtension#lab()}
     * with it until it closes. More than one registration may be served one lab: an annotation's
     * lab serves every extension instance that reads that annotation.
     */
    Lab serve(RunningLabs registration) {
        if (servedRegistrations.add(registration)) {
            registration.started(lab);
        }
        return lab;
    }

    Lab lab() {
        return lab;
    }

    /** A lab shared by the run serves other classes too, and only the run's end closes it. */
    boolean sharedByRun() {
        return sharedByRun;
    }

    /** Keeps the lab, instead of closing it, when its context ends. */
    void keepOnClose() {
        keep.set(true);
    }

    @Override
    public void close() {
        servedRegistrations.forEach(registration -> registration.ended(lab));
        if (keep.get()) {
            // Without its ownership record, the lab outlives this JVM: no watchdog or sweep removes it.
            lab.keep();
            LOG.log(Level.WARNING, "netns-lab: " + EngineAccess.keepInstructions(lab));
        } else {
            lab.close();
        }
    }
}
