package dev.netnslab;

import dev.netnslab.internal.engine.InboundFaults;
import java.time.Duration;

/**
 * The packets that <em>arrive</em> on one interface of a running lab, to impair as {@link Link}
 * impairs those that leave it. Get it with {@link Link#inbound()}:
 *
 * <pre>{@code
 * Link eth0 = lab.link("server", "eth0");
 * eth0.inbound().loss(100);            // the server hears nothing; what it sends still leaves
 * eth0.inbound().loss(0).rate("1mbit"); // what reaches the server: 1 Mbit/s at most
 * eth0.clear();                         // both directions, as the lab built them
 * }</pre>
 *
 * <p>Use it where the far end is not the lab's to shape (a bridge port's traffic from many
 * senders, a namespace's uplink to the host), or to impair one direction of a cable from the
 * receiving side. Each method takes effect when it returns, returns this handle, and replaces its
 * own earlier setting; {@code 0} (or {@code Duration.ZERO}) removes one.
 *
 * <p><b>How.</b> {@link #loss(double)} is an nft table of its own that drops in the prerouting
 * hook, before the namespace routes or delivers the packet; ARP and neighbour discovery are
 * spared. The others need a queue, which arriving packets do not have: the interface gets the
 * {@code ingress} qdisc with a filter that redirects every arriving packet to an {@code ifb}
 * device the library creates in the same namespace ({@code nlifb3}, say), and that device's root
 * qdisc (tbf for a rate, netem for the rest) holds them back before they go on as if they had just
 * arrived. {@link #clear()}, {@link Link#clear()} and closing the lab delete the table, the
 * ingress qdisc and the ifb device. Needs {@code nft} for loss; the kernel's ifb device, ingress
 * qdisc, u32 filter and mirred action for the rest, and netem for {@link #delay(Duration)},
 * {@link #duplicate(double)}, {@link #corrupt(double)} and {@link #reorder(double)}. Where one is
 * missing, the call throws a {@link NetnsLabException} that says which and what to do, and the
 * link is left as it was.
 */
public final class InboundLink {

    private final Link link;
    private final InboundFaults faults;

    InboundLink(Link link, InboundFaults faults) {
        this.link = link;
        this.faults = faults;
    }

    /** The handle of the same interface for what leaves it. */
    public Link link() {
        return link;
    }

    /**
     * Drops {@code percent} of the IP packets (IPv4 and IPv6) arriving on the interface, at random,
     * replacing an earlier inbound loss; {@code 0} removes it. ARP and neighbour discovery are spared.
     *
     * @param percent 0 to 100, in steps of 0.01
     * @throws IllegalArgumentException outside 0-100, before anything changes
     */
    public InboundLink loss(double percent) {
        faults.loss(percent);
        return this;
    }

    /**
     * Limits the rate of what arrives on the interface (tbf on its ifb device), e.g.
     * {@code rate("1mbit")}; netem's own rate when an inbound delay, duplicate, corrupt or
     * reorder is active.
     *
     * @param rate a whole number followed by bit, kbit, mbit or gbit (per second)
     * @throws IllegalArgumentException for another form, before anything changes
     * @throws NetnsLabException         where the kernel has no ifb device or mirred action; nothing is changed
     */
    public InboundLink rate(String rate) {
        faults.rate(rate);
        return this;
    }

    /**
     * Delays every packet arriving on the interface by {@code delay} (netem on its ifb device);
     * {@code Duration.ZERO} removes it. Needs netem, as {@link Link#delay(Duration)} does.
     *
     * @param delay 0 to 60 s
     * @throws IllegalArgumentException outside that range, before anything changes
     * @throws NetnsLabException         on a kernel without netem or ifb; nothing is changed
     */
    public InboundLink delay(Duration delay) {
        faults.delay(delay, Duration.ZERO);
        return this;
    }

    /**
     * Delays every packet arriving on the interface by {@code delay}, give or take up to
     * {@code jitter} (netem on its ifb device).
     *
     * @param delay  0 to 60 s
     * @param jitter 0 up to {@code delay}
     * @throws IllegalArgumentException outside those ranges, before anything changes
     * @throws NetnsLabException         on a kernel without netem or ifb; nothing is changed
     */
    public InboundLink delay(Duration delay, Duration jitter) {
        faults.delay(delay, jitter);
        return this;
    }

    /**
     * Delivers {@code percent} of the packets arriving on the interface twice (netem on its ifb
     * device); 0 removes it.
     *
     * @param percent 0 to 100, in steps of 0.01
     * @throws IllegalArgumentException outside 0-100, before anything changes
     * @throws NetnsLabException         on a kernel without netem or ifb; nothing is changed
     */
    public InboundLink duplicate(double percent) {
        faults.duplicate(percent);
        return this;
    }

    /**
     * Flips one random bit in {@code percent} of the packets arriving on the interface (netem on
     * its ifb device); checksums then drop most of them. 0 removes it.
     *
     * @param percent 0 to 100, in steps of 0.01
     * @throws IllegalArgumentException outside 0-100, before anything changes
     * @throws NetnsLabException         on a kernel without netem or ifb; nothing is changed
     */
    public InboundLink corrupt(double percent) {
        faults.corrupt(percent);
        return this;
    }

    /**
     * Lets {@code percent} of the packets arriving on the interface through at once while the
     * others wait out the inbound {@link #delay(Duration) delay} (netem on its ifb device); needs
     * that delay. 0 removes it.
     *
     * @param percent 0 to 100, in steps of 0.01
     * @throws IllegalArgumentException outside 0-100, or without an inbound delay, before anything changes
     * @throws NetnsLabException         on a kernel without netem or ifb; nothing is changed
     */
    public InboundLink reorder(double percent) {
        faults.reorder(percent);
        return this;
    }

    /**
     * Undoes every inbound impairment of the interface: the loss table, the ingress qdisc and the
     * ifb device go. What leaves the interface is left as it is; {@link Link#clear()} undoes both.
     *
     * @throws NetnsLabException when something could not be removed; the rest is removed all the same
     */
    public InboundLink clear() {
        faults.clear();
        return this;
    }

    /** {@code inbound link server:eth0 (inbound loss 100%)}: the link, with everything active on it. */
    @Override
    public String toString() {
        return "inbound " + link;
    }
}
