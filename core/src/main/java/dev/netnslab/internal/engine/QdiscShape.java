package dev.netnslab.internal.engine;

import dev.netnslab.internal.fault.FaultRules;
import java.time.Duration;
import java.util.List;

/**
 * What a root qdisc does to the packets it sends: netem's delay, jitter, duplicate, corrupt and
 * reorder, and a rate. A link's outbound shape sits on the interface itself, its inbound shape on
 * the {@code ifb} device its arriving packets are redirected to.
 */
record QdiscShape(Duration delay, Duration jitter, double duplicate, double corrupt, double reorder, String rate) {

    static final QdiscShape NONE = new QdiscShape(Duration.ZERO, Duration.ZERO, 0, 0, 0, null);

    /** Whether it needs netem: anything beyond a rate. */
    boolean netem() {
        return !delay.isZero() || duplicate > 0 || corrupt > 0 || reorder > 0;
    }

    /** Whether it does anything at all. */
    boolean any() {
        return netem() || rate != null;
    }

    QdiscShape withRate(String value) {
        return new QdiscShape(delay, jitter, duplicate, corrupt, reorder, value);
    }

    QdiscShape withDelay(Duration value, Duration valueJitter) {
        return new QdiscShape(value, valueJitter, duplicate, corrupt, reorder, rate);
    }

    QdiscShape withDuplicate(double value) {
        return new QdiscShape(delay, jitter, value, corrupt, reorder, rate);
    }

    QdiscShape withCorrupt(double value) {
        return new QdiscShape(delay, jitter, duplicate, value, reorder, rate);
    }

    QdiscShape withReorder(double value) {
        return new QdiscShape(delay, jitter, duplicate, corrupt, value, rate);
    }

    /** Refuses a reorder without a delay: the reordered packets are those sent while the others wait. */
    void checkReorder(String call) {
        if (reorder > 0 && delay.isZero()) {
            throw new IllegalArgumentException(call + " is refused: reorder needs a delay on the same link (the"
                    + " reordered packets are those sent at once while the others wait); call delay(...) first."
                    + " Nothing was changed.");
        }
    }

    /** The {@code tc} argv that makes this shape the root qdisc of {@code device}. */
    List<String> argv(String device) {
        return netem()
                ? FaultRules.netem(device, delay, jitter, duplicate, corrupt, reorder, rate)
                : FaultRules.rateLimit(device, rate);
    }

    /** Adds its settings to {@code parts}, each after {@code prefix}: {@code delay 100ms ± 5ms}, {@code rate 1mbit}. */
    void describe(List<String> parts, String prefix) {
        if (!delay.isZero()) {
            parts.add(prefix + "delay " + FaultRules.duration(delay)
                    + (jitter.isZero() ? "" : " ± " + FaultRules.duration(jitter)));
        }
        if (duplicate > 0) {
            parts.add(prefix + "duplicate " + FaultRules.percent(duplicate));
        }
        if (corrupt > 0) {
            parts.add(prefix + "corrupt " + FaultRules.percent(corrupt));
        }
        if (reorder > 0) {
            parts.add(prefix + "reorder " + FaultRules.percent(reorder));
        }
        if (rate != null) {
            parts.add(prefix + "rate " + rate);
        }
    }
}
