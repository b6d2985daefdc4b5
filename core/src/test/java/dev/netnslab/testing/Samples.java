package dev.netnslab.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What the benchmarks report of their timed samples: percentiles of nanoseconds, shown in milliseconds. */
public final class Samples {

    private Samples() {}

    /** The {@code p}th percentile (0-100) of {@code nanos}, by the nearest rank. */
    public static long pct(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.round((p / 100.0) * (sorted.size() - 1))));
    }

    /** The median of {@code nanos}: its 50th percentile. */
    public static long median(List<Long> nanos) {
        return pct(nanos, 50);
    }

    /** {@code nanos} in milliseconds. */
    public static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
