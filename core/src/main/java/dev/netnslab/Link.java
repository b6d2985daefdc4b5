package dev.netnslab;

import dev.netnslab.internal.engine.InterfaceFaults;

/**
 * One interface of a running lab, to break and mend while a test runs: take it down and up, drop a
 * share of its packets, limit its rate, change its MTU. Get it with {@link Lab#link(String, String)}.
 *
 * <pre>{@code
 * Link uplink = lab.link("netns1", "veth2");
 * uplink.down();
 * assertThat(lab.host()).cannotPing("10.200.1.1");
 * uplink.up();
 * uplink.loss(30).rate("1mbit");   // 30% of the packets leaving veth2 are dropped; 1 Mbit/s at most
 * uplink.clear();                   // as the lab built it
 * }</pre>
 *
 * <p>Each change takes effect when the method returns, and is undone by {@link #clear()} or when
 * the lab closes (deleting its namespaces undoes everything inside them). What is active shows in
 * the failure report and the lab's diagram. Only the lab's own namespaces are changed; the loss
 * rules live in an nft table of their own inside the namespace, so they never meet the machine's
 * rules or the lab's. Needs {@code tc} for {@link #rate(String)} and {@code nft} for {@link #loss(double)}.
 *
 * <p>Arguments are checked before anything changes, and a refused one says what was allowed.
 */
public final class Link {

    private final InterfaceFaults faults;

    Link(InterfaceFaults faults) {
        this.faults = faults;
    }

    /** The logical name of the interface's namespace. */
    public String namespace() {
        return faults.namespace();
    }

    /** The interface's name. */
    public String iface() {
        return faults.iface();
    }

    /**
     * Sets the interface administratively down ({@code ip link set dev IFACE down}): nothing passes
     * it. The kernel then drops the routes through it and its IPv6 addresses; {@link #up()} puts
     * them back.
     */
    public Link down() {
        faults.down();
        return this;
    }

    /**
     * Sets the interface up again, and puts back the IPv6 addresses and the routes through it that
     * {@link #down()} made the kernel drop, such as the default route. Returns once the interface,
     * the other end of its veth and the bridges either end is a port of carry packets again (as
     * {@link Lab#start(LabSpec)} waits), within {@code netnslab.ready.timeout}.
     *
     * @throws NetnsLabException when they do not in time, naming each interface that is not ready and its state
     */
    public Link up() {
        faults.up();
        return this;
    }

    /**
     * Drops {@code percent} of the IP packets (IPv4 and IPv6) leaving the interface, at random,
     * replacing an earlier loss; {@code 0} removes it. ARP and neighbour discovery are spared.
     *
     * @param percent 0 to 100, in steps of 0.01
     * @throws IllegalArgumentException outside 0-100, before anything changes
     */
    public Link loss(double percent) {
        faults.loss(percent);
        return this;
    }

    /**
     * Limits the rate of what leaves the interface with a tbf qdisc, e.g. {@code rate("1mbit")},
     * replacing its root qdisc (a rate or delay the spec gave it comes back with {@link #clear()}).
     *
     * @param rate a whole number followed by bit, kbit, mbit or gbit (per second)
     * @throws IllegalArgumentException for another form, before anything changes
     */
    public Link rate(String rate) {
        faults.rate(rate);
        return this;
    }

    /**
     * Sets the interface's MTU. Packets larger than it are fragmented or, with DF set, refused
     * with "message too long": the classic path-MTU trouble.
     *
     * @param mtu 68 to 65535 (IPv6 needs at least 1280)
     * @throws IllegalArgumentException outside that range, before anything changes
     */
    public Link mtu(int mtu) {
        faults.mtu(mtu);
        return this;
    }

    /**
     * Undoes every change made through this handle: the loss rules go, the rate and MTU are what the
     * lab built, and a link taken down is up again, ready as after {@link #up()}. Carries on past
     * errors and reports them together.
     *
     * @throws NetnsLabException listing what could not be restored
     */
    public Link clear() {
        faults.clear();
        return this;
    }

    @Override
    public String toString() {
        return faults.toString();
    }
}
