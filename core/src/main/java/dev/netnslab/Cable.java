package dev.netnslab;

import java.time.Duration;
import java.util.List;

/**
 * Both ends of one veth pair of a running lab, to shape or cut the cable both ways in one call: each
 * method applies to the {@link Link} of each end, so what leaves either end (that is, both
 * directions of the cable) is impaired. Get one with {@link Lab#cable(String, String)}.
 *
 * <pre>{@code
 * Cable cable = lab.cable("client", "eth0");
 * cable.rate("1mbit").loss(5);   // both directions: 1 Mbit/s, 5% loss each way
 * cable.down();                  // both ends down
 * cable.clear();                 // as the lab built it
 * }</pre>
 *
 * <p>The ends are the same handles {@code lab.link(...)} gives, so a change made here shows on them
 * too, and {@link #clear()} undoes everything either handle changed.
 */
public final class Cable {

    private final Link one;
    private final Link other;

    Cable(Link one, Link other) {
        this.one = one;
        this.other = other;
    }

    /** The end that was named: {@code lab.cable(ns, iface)}'s interface. */
    public Link end() {
        return one;
    }

    /** The veth's other end, in the same or another namespace. */
    public Link peer() {
        return other;
    }

    /** Both ends, the named one first. */
    public List<Link> ends() {
        return List.of(one, other);
    }

    /** Sets both ends down, see {@link Link#down()}. */
    public Cable down() {
        one.down();
        other.down();
        return this;
    }

    /** Sets both ends up, see {@link Link#up()}. */
    public Cable up() {
        // A veth has carrier only when both ends are up: wait once, after the second.
        one.upWithoutWaiting();
        other.up();
        return this;
    }

    /** Drops {@code percent} of the packets each way, see {@link Link#loss(double)}. */
    public Cable loss(double percent) {
        one.loss(percent);
        other.loss(percent);
        return this;
    }

    /** Limits each direction to {@code rate}, see {@link Link#rate(String)}. */
    public Cable rate(String rate) {
        one.rate(rate);
        other.rate(rate);
        return this;
    }

    /**
     * Delays each direction by {@code delay}, see {@link Link#delay(Duration)} (needs netem; on a
     * kernel without it neither end is changed).
     */
    public Cable delay(Duration delay) {
        one.delay(delay);
        try {
            other.delay(delay);
        } catch (RuntimeException e) {
            one.delay(Duration.ZERO);
            throw e;
        }
        return this;
    }

    /** Takes the cable out: both ends down and up again every {@code period}, see {@link Link#flap(Duration, int)}. */
    public Cable flap(Duration period, int count) {
        one.flap(period, count);
        return this;
    }

    /** Undoes every change made to either end, see {@link Link#clear()}; carries on past errors. */
    public Cable clear() {
        RuntimeException first = null;
        if (one.isDown() && other.isDown()) {
            // Each end's clear() would wait for carrier, which needs the other end up too.
            try {
                up();
            } catch (RuntimeException e) {
                first = e;
            }
        }
        for (Link end : ends()) {
            try {
                end.clear();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return this;
    }

    @Override
    public String toString() {
        return "cable " + one + " <-> " + other;
    }
}
