package dev.netnslab.internal.backend.vm;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Progress of a VM that is being started, for the person waiting: a VM takes a minute or more, so
 * each stage is logged with the time since the start, like {@code netns-lab: qemu VM: ssh is up
 * after 31.2 s}. Both VM backends report through this, in the same words.
 */
final class VmProgress {

    private static final Logger LOG = System.getLogger("dev.netnslab.backend");

    private final String what;
    private final long startNanos;

    /** @param what the VM, as the messages name it, e.g. {@code qemu VM} */
    VmProgress(String what) {
        this(what, System.nanoTime());
    }

    VmProgress(String what, long startNanos) {
        this.what = what;
        this.startNanos = startNanos;
    }

    /** Logs {@code stage} with the elapsed time. */
    void stage(String stage) {
        LOG.log(Level.INFO, "netns-lab: " + what + ": " + stage + " after " + elapsed());
    }

    /** Logs {@code text} as it is, for the stage that starts the clock. */
    void start(String text) {
        LOG.log(Level.INFO, "netns-lab: " + what + ": " + text);
    }

    /** The time since the start, {@code 12.3 s}. */
    String elapsed() {
        return format((System.nanoTime() - startNanos) / 1_000_000);
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static String format(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
