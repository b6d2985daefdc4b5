package dev.netnslab.internal.engine;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.fault.FaultRules;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * TCP faults on the connections one namespace opens to another: {@code from}'s connections to a
 * port of {@code to}. Each fault is an nft table of its own in {@code from}'s namespace that
 * matches {@code to}'s addresses (read when the fault is added) and the port on {@code to}'s side,
 * so connections {@code to} opens to {@code from}, and every other namespace's, pass. Healing
 * deletes the tables. {@code dev.netnslab.Connections} is the user's handle on one.
 */
public final class ConnectionFaults {

    /** A fault on one port, and the nft table that makes it. */
    private record Rule(FaultRules.TcpFault fault, int port, long bytes, String table, LocalTime since) {
        String describe() {
            return switch (fault) {
                case RESET -> "reset port " + port;
                case SILENCE -> "silence port " + port;
                case LIMIT -> "limit port " + port + " to " + bytes + " bytes";
            };
        }
    }

    private final LabFaults faults;
    private final LabNamespace from;
    private final LabNamespace to;
    private final List<Rule> rules = new ArrayList<>();

    ConnectionFaults(LabFaults faults, LabNamespace from, LabNamespace to) {
        this.faults = faults;
        this.from = from;
        this.to = to;
    }

    /** The namespace that opens the connections. */
    public LabNamespace from() {
        return from;
    }

    /** The namespace whose port they are opened to. */
    public LabNamespace to() {
        return to;
    }

    /** {@code connections(a, b)}: how the user asked for it. */
    public String call() {
        return "connections(" + from.name() + ", " + to.name() + ")";
    }

    /**
     * Adds a TCP fault on {@code to}'s port {@code port}, replacing an earlier one of the same kind
     * on that port.
     *
     * @param bytes the limit of {@link FaultRules.TcpFault#LIMIT}; ignored otherwise
     * @throws IllegalArgumentException for a bad port or limit, or when {@code to} has no address
     *         of its own, before anything changes
     */
    public synchronized void add(FaultRules.TcpFault fault, int port, long bytes) {
        String call = FaultRules.tcpFaultCall(
                "lab.connections(\"" + from.name() + "\", \"" + to.name() + "\").", "reset", fault, port, bytes);
        Set<String> peer = new LinkedHashSet<>(PartitionCut.addresses(to));
        // An address both hold is from's own: its connections to it stay inside the namespace.
        peer.removeAll(PartitionCut.addresses(from));
        peer.removeIf(ip -> ip.toLowerCase(Locale.ROOT).startsWith("fe80:"));
        if (peer.isEmpty()) {
            throw new IllegalArgumentException(call + " is refused: namespace " + to.name()
                    + " has no address of its own (loopback and link-local fe80:: addresses do not count), so "
                    + from.name() + " has no connections to it to break. Give it an address in the LabSpec."
                    + " Nothing was changed.");
        }
        String table = faults.nextTable("conn_" + fault.name().toLowerCase(Locale.ROOT));
        nft(FaultRules.connectionFaultTable(table, peer, fault, port, bytes), "add " + call);
        Rule rule = new Rule(fault, port, bytes, table, now());
        for (Rule old : List.copyOf(rules)) {
            if (old.fault() == fault && old.port() == port) {
                rules.remove(old);
                nft(FaultRules.deleteTable(old.table()), "remove the earlier " + old.describe());
            }
        }
        rules.add(rule);
    }

    /** Whether a fault is active. */
    public synchronized boolean isActive() {
        return !rules.isEmpty();
    }

    /**
     * Removes every fault, carrying on past errors. Idempotent.
     *
     * @throws NetnsLabException when a table could not be deleted; the others are deleted all the same
     */
    public void heal() {
        String entry;
        List<RuntimeException> problems = new ArrayList<>();
        synchronized (this) {
            if (rules.isEmpty()) {
                return;
            }
            entry = call() + " " + describeFaults() + ": " + rules.get(0).since() + " until " + now();
            for (Rule rule : List.copyOf(rules)) {
                try {
                    nft(FaultRules.deleteTable(rule.table()), "remove the " + rule.describe());
                } catch (RuntimeException e) {
                    problems.add(e);
                }
            }
            rules.clear();
        }
        // Outside this lock: the lab's lock is taken before this one when notes are read.
        faults.connectionsHealed(entry);
        if (!problems.isEmpty()) {
            NetnsLabException failure = new NetnsLabException(
                    "Could not fully heal " + this + ": " + problems.get(0).getMessage());
            problems.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** The faults now active: {@code reset port 7040, silence port 7041}; empty when none. */
    public synchronized String describeFaults() {
        return String.join(", ", rules.stream().map(Rule::describe).toList());
    }

    /** For the failure report: {@code lab.connections("a", "b") has reset port 7040, active since 20:28:02.508}. */
    public synchronized String describe() {
        return "lab.connections(\"" + from.name() + "\", \"" + to.name() + "\") has " + describeFaults()
                + (rules.isEmpty() ? "" : ", active since " + rules.get(0).since());
    }

    /** The note on {@code from}: {@code its connections to b: reset port 7040 (connections(a, b))}. */
    public synchronized String note() {
        return "its connections to " + to.name() + ": " + describeFaults() + " (" + call() + ")";
    }

    /** The lab is closing and deletes the namespaces, which removes the rules. */
    synchronized void forget() {
        rules.clear();
    }

    private void nft(String script, String what) {
        ExecResult result =
                from.exec(List.of("nft", "-f", "-"), script, faults.engine().commandTimeout());
        if (!result.isSuccess()) {
            boolean missing = result.stderr().contains("No such file or directory");
            throw new NetnsLabException("Could not " + what + " in namespace " + from.name()
                    + (missing ? " (nft must be installed: apt-get install -y nftables)" : "") + "\n"
                    + result.describe());
        }
    }

    private static LocalTime now() {
        return LocalTime.now().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public synchronized String toString() {
        String active = describeFaults();
        return call() + (active.isEmpty() ? "" : " (" + active + ")");
    }
}
