package dev.netnslab;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of a bridge, for {@link LabSpec.Builder#bridge(String, String, BridgeOptions)}. Immutable;
 * start from a static method and add with the {@code with...} methods, each named after the
 * {@code ip link add ... type bridge} keyword it sets:
 *
 * <pre>{@code
 * .bridge("host", "hub0", BridgeOptions.ageingTime(Duration.ZERO))          // a hub: floods every frame
 * .bridge("host", "lan0", BridgeOptions.ageingTime(Duration.ofSeconds(600))
 *         .withGroupForwardMask(0xfff8))                                    // forwards LLDP and friends
 * }</pre>
 */
public final class BridgeOptions {

    private static final BridgeOptions NONE = new BridgeOptions(null, -1);

    private final Duration ageingTime;
    private final int groupForwardMask;

    private BridgeOptions(Duration ageingTime, int groupForwardMask) {
        this.ageingTime = ageingTime;
        this.groupForwardMask = groupForwardMask;
    }

    /** No options: the kernel's 300 s ageing time, and no link-local group forwarded. */
    public static BridgeOptions none() {
        return NONE;
    }

    /**
     * {@code ageing_time}: how long the bridge keeps a MAC it learned from a frame (0 up to 42949672 s,
     * kept in hundredths of a second). {@link Duration#ZERO} keeps none, so the bridge floods every frame
     * to every port like a hub, as Kathara's collision domains do.
     */
    public static BridgeOptions ageingTime(Duration ageingTime) {
        return NONE.withAgeingTime(ageingTime);
    }

    /**
     * {@code group_fwd_mask}: the link-local groups {@code 01:80:c2:00:00:0X} the bridge forwards instead of
     * keeping them to itself, bit X set for group X (0-0xffff); the kernel never forwards groups 0-2 (STP,
     * pause frames, LACP), so 0xfff8 forwards all the others, LLDP and 802.1X included.
     */
    public static BridgeOptions groupForwardMask(int mask) {
        return NONE.withGroupForwardMask(mask);
    }

    public BridgeOptions withAgeingTime(Duration value) {
        return new BridgeOptions(Objects.requireNonNull(value, "ageingTime"), groupForwardMask);
    }

    public BridgeOptions withGroupForwardMask(int mask) {
        return new BridgeOptions(ageingTime, mask);
    }

    /** The ageing time, or {@code null} for the kernel's. */
    Duration ageingTimeValue() {
        return ageingTime;
    }

    /** The mask, or -1 for the kernel's. */
    int groupForwardMaskValue() {
        return groupForwardMask;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BridgeOptions o
                && Objects.equals(o.ageingTime, ageingTime)
                && o.groupForwardMask == groupForwardMask;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ageingTime, groupForwardMask);
    }

    @Override
    public String toString() {
        return "BridgeOptions[" + (ageingTime == null ? "" : "ageing_time " + ageingTime)
                + (groupForwardMask < 0 ? "" : (ageingTime == null ? "" : " ") + "group_fwd_mask " + groupForwardMask)
                + "]";
    }
}
