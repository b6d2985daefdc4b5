package dev.netnslab;

import dev.netnslab.internal.engine.ConnectionFaults;
import dev.netnslab.internal.fault.FaultRules;

/**
 * TCP faults on the connections one namespace opens to another, in one direction: those
 * {@link #from()} opens to a port of {@link #to()}. Connections {@code to} opens to {@code from},
 * and every other namespace's, are untouched. Get it with {@link Lab#connections(String, String)}:
 *
 * <pre>{@code
 * try (Connections toDb = lab.connections("app", "db")) {
 *     toDb.reset(5432);                  // app's connections to db:5432 are reset, new ones refused
 *     assertThat(lab.namespace("app")).cannotConnect("10.0.0.3", 5432);
 *     assertThat(lab.namespace("db")).canConnect("10.0.0.2", 5432);   // db -> app is another direction
 * }                                      // healed here
 * }</pre>
 *
 * <p>Each fault replaces an earlier one of its kind on the same port; faults on different ports
 * add up. They take effect when the method returns, and are undone by {@link #heal()} (or
 * {@link #close()}, so try-with-resources heals) and, at the latest, when the lab closes. While
 * active they show in the failure report and the lab's diagram, and a failed check from
 * {@code from} to {@code to} names them.
 *
 * <p><b>How.</b> Each fault is an nft table of its own in {@code from}'s namespace, matching the
 * TCP segments to {@code to}'s addresses (IPv4 and IPv6, read when the fault is added; loopback and
 * link-local ones left out) with the port as destination, and those back from them with the port
 * as source. A connection is told by its server port, as Toxiproxy tells it by the proxy it goes
 * through: one {@code to} opens from that very port number is matched too. Needs {@code nft}
 * ({@code apt-get install -y nftables}). Arguments are checked before anything changes.
 */
public final class Connections implements AutoCloseable {

    private final ConnectionFaults faults;

    Connections(ConnectionFaults faults) {
        this.faults = faults;
    }

    /** The logical name of the namespace that opens the connections. */
    public String from() {
        return faults.from().name();
    }

    /** The logical name of the namespace whose port they are opened to. */
    public String to() {
        return faults.to().name();
    }

    /**
     * Answers every segment of {@code from}'s connections to {@code to}'s {@code port} with a TCP
     * reset: an open connection is reset at {@code from}'s end at its next write, and at
     * {@code to}'s end when its next segment arrives; a new one is refused at once
     * ("Connection refused"). Toxiproxy's {@code reset_peer}, in one direction.
     *
     * @param port 1-65535, the port {@code to} listens on
     * @throws IllegalArgumentException outside that range, or when {@code to} has no address of its own, before anything changes
     */
    public Connections reset(int port) {
        faults.add(FaultRules.TcpFault.RESET, port, 0);
        return this;
    }

    /**
     * Drops every segment of {@code from}'s connections to {@code to}'s {@code port}: open ones go
     * quiet while ping still passes, new ones hang until the client's timeout (Toxiproxy's
     * {@code timeout}). TCP retransmits, so a connection still open when the fault is healed
     * carries on.
     *
     * @param port 1-65535, the port {@code to} listens on
     * @throws IllegalArgumentException outside that range, or when {@code to} has no address of its own, before anything changes
     */
    public Connections silence(int port) {
        faults.add(FaultRules.TcpFault.SILENCE, port, 0);
        return this;
    }

    /**
     * Resets each connection {@code from} opens to {@code to}'s {@code port} once it has carried
     * more than {@code bytes} bytes, both directions and the IP and TCP headers counted by
     * conntrack (Toxiproxy's {@code limit_data}), for connections opened after this call. The
     * segment past the limit is answered with a reset: one {@code from} sends resets its own
     * socket at once; one from {@code to} resets {@code to}'s end, and {@code from}'s learns at its
     * next write.
     *
     * @param port  1-65535, the port {@code to} listens on
     * @param bytes at least 1
     * @throws IllegalArgumentException outside those ranges, or when {@code to} has no address of its own, before anything changes
     */
    public Connections limitData(int port, long bytes) {
        faults.add(FaultRules.TcpFault.LIMIT, port, bytes);
        return this;
    }

    /** Whether a fault is active. */
    public boolean isActive() {
        return faults.isActive();
    }

    /**
     * Removes every fault of this pair: the connections pass again. Idempotent; the handle can be
     * used again afterwards.
     *
     * @throws NetnsLabException when a rule could not be removed; the others are removed all the same
     */
    public void heal() {
        faults.heal();
    }

    /** The same as {@link #heal()}, so that try-with-resources heals. */
    @Override
    public void close() {
        heal();
    }

    /** {@code connections(a, b) (reset port 7040)}: the pair, and what is active on it. */
    @Override
    public String toString() {
        return faults.toString();
    }
}
