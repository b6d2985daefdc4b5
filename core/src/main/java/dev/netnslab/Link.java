package dev.netnslab;

import dev.netnslab.internal.engine.InterfaceFaults;
import dev.netnslab.internal.fault.FaultRules;
import java.time.Duration;

/**
 * One interface of a running lab, to break and mend while a test runs: take it down and up, drop a
 * share of its packets, limit its rate, delay, duplicate, corrupt or reorder what leaves it (netem),
 * change its MTU. Get it with {@link Lab#link(String, String)}.
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
 * the lab closes (deleting its namespaces undoes everything inside them). {@link #inbound()} does
 * the same to the packets that arrive on the interface. What is active shows in
 * the failure report and the lab's diagram. Only the lab's own namespaces are changed; the loss
 * rules live in an nft table of their own inside the namespace, so they never meet the machine's
 * rules or the lab's. Needs {@code tc} for {@link #rate(String)}, {@code nft} for {@link #loss(double)},
 * and the kernel's netem qdisc for {@link #delay(Duration)}, {@link #duplicate(double)},
 * {@link #corrupt(double)} and {@link #reorder(double)} (a rate then becomes netem's own rate).
 *
 * <p>Arguments are checked before anything changes, and a refused one says what was allowed.
 */
public final class Link {

    private final InterfaceFaults faults;
    private final InboundLink inbound;

    Link(InterfaceFaults faults) {
        this.faults = faults;
        this.inbound = new InboundLink(this, faults.inbound());
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

    /** Whether the interface is down through this handle ({@link #down()} or a flap). */
    boolean isDown() {
        return faults.isDown();
    }

    /** Sets the interface up without waiting for carrier: {@link Cable#up()} waits once both ends are up. */
    Link upWithoutWaiting() {
        faults.up(false);
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
     * Limits the rate of what leaves the interface with a tbf qdisc (netem's own rate when a delay,
     * duplicate, corrupt or reorder is active), e.g. {@code rate("1mbit")}, replacing its root qdisc (a rate or delay the spec gave it comes back with {@link #clear()}).
     *
     * @param rate a whole number followed by bit, kbit, mbit or gbit (per second)
     * @throws IllegalArgumentException for another form, before anything changes
     */
    public Link rate(String rate) {
        faults.rate(rate);
        return this;
    }

    /**
     * Delays every packet leaving the interface by {@code delay} (netem), replacing an earlier
     * delay and jitter; {@code Duration.ZERO} removes it. Composes with {@link #duplicate},
     * {@link #corrupt}, {@link #reorder}, {@link #rate} and {@link #loss} on the same link.
     *
     * <pre>{@code
     * lab.link("client", "eth0").delay(Duration.ofMillis(100));   // ping's RTT grows by 100 ms
     * }</pre>
     *
     * <p>Needs the kernel's netem qdisc ({@code sch_netem}). Where it is missing, this throws a
     * {@link NetnsLabException} that says so, how to get it ({@code modprobe sch_netem}, the
     * distribution's extra modules package) and that the qemu backend's kernel has it; the link
     * is left as it was.
     *
     * @param delay 0 to 60 s
     * @throws IllegalArgumentException outside that range, before anything changes
     * @throws NetnsLabException         on a kernel without netem; nothing is changed
     */
    public Link delay(Duration delay) {
        faults.delay(delay, Duration.ZERO);
        return this;
    }

    /**
     * Delays every packet leaving the interface by {@code delay}, give or take up to
     * {@code jitter}, at random (netem), replacing an earlier delay. Needs netem, as
     * {@link #delay(Duration)} does.
     *
     * @param delay  0 to 60 s
     * @param jitter 0 up to {@code delay}
     * @throws IllegalArgumentException outside those ranges, before anything changes
     * @throws NetnsLabException         on a kernel without netem; nothing is changed
     */
    public Link delay(Duration delay, Duration jitter) {
        faults.delay(delay, jitter);
        return this;
    }

    /**
     * Sends {@code percent} of the packets leaving the interface twice (netem); 0 removes it.
     * Needs netem, as {@link #delay(Duration)} does.
     *
     * @param percent 0 to 100, in steps of 0.01
     * @throws IllegalArgumentException outside 0-100, before anything changes
     * @throws NetnsLabException         on a kernel without netem; nothing is changed
     */
    public Link duplicate(double percent) {
        faults.duplicate(percent);
        return this;
    }

    /**
     * Flips one random bit in {@code percent} of the packets leaving the interface (netem); the
     * receiver's checksums then drop most of them. 0 removes it. Needs netem, as
     * {@link #delay(Duration)} does.
     *
     * @param percent 0 to 100, in steps of 0.01
     * @throws IllegalArgumentException outside 0-100, before anything changes
     * @throws NetnsLabException         on a kernel without netem; nothing is changed
     */
    public Link corrupt(double percent) {
        faults.corrupt(percent);
        return this;
    }

    /**
     * Sends {@code percent} of the packets leaving the interface at once while the others wait out
     * the {@link #delay(Duration) delay}, so they arrive out of order (netem). Needs a delay on
     * the same link; 0 removes it. Needs netem, as {@link #delay(Duration)} does.
     *
     * <pre>{@code
     * lab.link("a", "eth0").delay(Duration.ofMillis(20)).reorder(25);
     * }</pre>
     *
     * @param percent 0 to 100, in steps of 0.01
     * @throws IllegalArgumentException outside 0-100, or without a delay, before anything changes
     * @throws NetnsLabException         on a kernel without netem; nothing is changed
     */
    public Link reorder(double percent) {
        faults.reorder(percent);
        return this;
    }

    /**
     * The same interface for the packets that <em>arrive</em> on it: {@code loss}, {@code rate},
     * {@code delay}, {@code duplicate}, {@code corrupt} and {@code reorder} there act on what the
     * namespace receives through the interface rather than on what it sends. {@link #clear()}
     * undoes both directions. Always the same handle.
     *
     * <pre>{@code
     * lab.link("server", "eth0").inbound().loss(100);   // the server hears nothing on eth0
     * }</pre>
     */
    public InboundLink inbound() {
        return inbound;
    }

    /**
     * Answers every TCP segment to or from {@code port} that crosses the interface with a reset,
     * so both ends see their connection reset and new connections are refused: Toxiproxy's
     * {@code reset_peer}, without a proxy. Replaces an earlier reset on the same port; other
     * ports, UDP and ping pass.
     *
     * <pre>{@code
     * lab.link("client", "eth0").resetConnections(8080);   // the client's next read: "Connection reset"
     * }</pre>
     *
     * @param port 1-65535, the server's port (the client's side of the connection matches too)
     * @throws IllegalArgumentException outside that range, before anything changes
     */
    public Link resetConnections(int port) {
        faults.tcpFault(FaultRules.TcpFault.RESET, port, 0);
        return this;
    }

    /**
     * Drops every TCP segment to or from {@code port} that crosses the interface: open connections
     * go silent while the link stays up (ping still passes), and new ones hang until the client's
     * timeout: Toxiproxy's {@code timeout}. TCP retransmits, so a connection still open when the
     * fault is cleared carries on.
     *
     * @param port 1-65535
     * @throws IllegalArgumentException outside that range, before anything changes
     */
    public Link silence(int port) {
        faults.tcpFault(FaultRules.TcpFault.SILENCE, port, 0);
        return this;
    }

    /**
     * Resets a TCP connection to or from {@code port} across the interface once it has carried
     * more than {@code bytes} bytes: Toxiproxy's {@code limit_data}. Counted per connection by
     * conntrack, both directions and the IP and TCP headers included, for connections opened after
     * this call (loading the rule turns on conntrack's byte counts in the namespace). The segment
     * that crosses the limit is answered with a reset: when it arrives on this interface, the far
     * end gets the reset, and this namespace's end learns at its next write (a read waits for its
     * timeout); when it leaves, this end gets it. Put the fault on the server's link so that a
     * client's request past the limit is reset at once.
     *
     * @param port  1-65535
     * @param bytes at least 1
     * @throws IllegalArgumentException outside those ranges, before anything changes
     */
    public Link limitData(int port, long bytes) {
        faults.tcpFault(FaultRules.TcpFault.LIMIT, port, bytes);
        return this;
    }

    /**
     * Takes the interface down and up again every {@code period}, down for the first half and up
     * for the second, {@code count} times: a flapping link. Returns at once; a thread of the lab
     * does the flapping, and the interface is up when it ends. {@link #clear()} and closing the
     * lab end it early. Replaces an earlier flap.
     *
     * <pre>{@code
     * lab.link("a", "eth0").flap(Duration.ofMillis(400), 5);   // down 200 ms, up 200 ms, five times
     * }</pre>
     *
     * @param period 20 ms to 1 h
     * @param count  how many times it goes down and up, at least 1
     * @throws IllegalArgumentException outside those ranges, before anything changes
     */
    public Link flap(Duration period, int count) {
        if (count < 1) {
            throw new IllegalArgumentException(
                    "lab.link(\"" + namespace() + "\", \"" + iface() + "\").flap(..., " + count
                            + ") is refused: the count is at least 1; flap(period) flaps until clear(). Nothing was changed.");
        }
        faults.flap(period, count);
        return this;
    }

    /**
     * Takes the interface down and up again every {@code period}, as {@link #flap(Duration, int)}
     * does, until {@link #clear()} or the lab closes.
     *
     * @param period 20 ms to 1 h
     * @throws IllegalArgumentException outside that range, before anything changes
     */
    public Link flap(Duration period) {
        faults.flap(period, 0);
        return this;
    }

    /** Whether a {@link #flap} is still going on. */
    public boolean isFlapping() {
        return faults.isFlapping();
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
     * Undoes every change made through this handle and its {@link #inbound()} one: a flap stops,
     * the loss and TCP fault rules go, the inbound impairments and their ifb device go,
     * the root qdisc (rate, delay, duplicate, corrupt, reorder) and MTU are what the lab built, and a
     * link taken down is up again, ready as after {@link #up()}. Carries on past errors and reports
     * them together.
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
