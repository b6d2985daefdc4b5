package dev.netnslab.internal.engine;

import dev.netnslab.ExecResult;
import dev.netnslab.InterfaceAddress;
import dev.netnslab.NetnsLabException;
import dev.netnslab.Route;
import dev.netnslab.internal.fault.FaultRules;
import dev.netnslab.internal.iproute.BuildPlan;
import dev.netnslab.internal.iproute.NamespaceSettings;
import dev.netnslab.internal.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The faults on one interface of a running lab: down, loss, rate, netem's delay, duplicate, corrupt
 * and reorder, MTU, and how to undo them.
 * {@code dev.netnslab.Link} is the user's handle on one; the failure report and the diagram read
 * {@link #describeFaults()}. Every change lives inside the lab's namespace, in an nft table or qdisc
 * of its own, so deleting the namespace undoes it.
 */
public final class InterfaceFaults {

    private final LabFaults faults;
    private final LabNamespace ns;
    private final String iface;
    private final int builtMtu;
    private boolean down;
    private List<Route> lostRoutes = List.of();
    private List<InterfaceAddress> lostAddresses = List.of();
    private double loss;
    private String lossTable;
    private QdiscShape shape = QdiscShape.NONE;
    private InboundFaults inbound;
    private int mtu;
    private final List<TcpRule> tcpRules = new ArrayList<>();
    private volatile Flap flap;

    /** A flap in progress: its thread, its period and count, and how far it got. */
    private static final class Flap {
        final Duration period;
        final int count;
        volatile int done;
        volatile boolean stopped;
        volatile RuntimeException failure;
        Thread thread;

        Flap(Duration period, int count) {
            this.period = period;
            this.count = count;
        }

        String describe() {
            return "flapping every " + FaultRules.duration(period)
                    + (count == 0 ? " until cleared" : " (" + done + " of " + count + " done)");
        }
    }

    /** A TCP fault on one port, and the nft table that makes it. */
    private record TcpRule(FaultRules.TcpFault fault, int port, long bytes, String table) {
        String describe() {
            return switch (fault) {
                case RESET -> "reset port " + port;
                case SILENCE -> "silence port " + port;
                case LIMIT -> "limit port " + port + " to " + bytes + " bytes";
            };
        }
    }

    InterfaceFaults(LabFaults faults, LabNamespace ns, String iface, int builtMtu) {
        this.faults = faults;
        this.ns = ns;
        this.iface = iface;
        this.builtMtu = builtMtu;
    }

    /** The logical name of the interface's namespace. */
    public String namespace() {
        return ns.name();
    }

    /** The interface's name. */
    public String iface() {
        return iface;
    }

    /**
     * Sets the interface administratively down ({@code ip link set dev IFACE down}): nothing passes
     * it. The kernel then drops the routes through it and its IPv6 addresses; {@link #up()} puts
     * them back.
     */
    public synchronized InterfaceFaults down() {
        if (!down) {
            // Routes via a gateway on this interface vanish with it, and so do its IPv6 addresses
            // (keep_addr_on_down is 0 by default); the kernel does not restore either.
            lostRoutes = ns.routes("main").stream()
                    .filter(r -> iface.equals(r.device()) && !"kernel".equals(r.protocol()))
                    .toList();
            lostAddresses = ns.addresses().stream()
                    .filter(a -> a.iface().equals(iface)
                            && a.family().equals("inet6")
                            && !a.address().toLowerCase(java.util.Locale.ROOT).startsWith("fe80:"))
                    .toList();
        }
        ip(FaultRules.linkState(ns.systemName(), iface, false), "set it down");
        down = true;
        faults.markDown(ns.name(), iface, true);
        return this;
    }

    /**
     * Sets the interface up again, and puts back the IPv6 addresses and the routes through it that
     * {@link #down()} made the kernel drop, such as the default route.
     */
    public InterfaceFaults up() {
        return up(true);
    }

    /** Whether the interface is down through this handle. */
    public synchronized boolean isDown() {
        return down;
    }

    /**
     * As {@link #up()}; with {@code awaitReady} false it returns without waiting for carrier, for
     * a caller that brings up the other end of the cable next and waits then.
     */
    public synchronized InterfaceFaults up(boolean awaitReady) {
        List<String> batch = new ArrayList<>();
        batch.add(String.join(
                " ", FaultRules.linkState(ns.systemName(), iface, true).subList(2, 7)));
        if (down) {
            // nodad: the address was in use a moment ago, and a tentative one would fail checks for a second or two.
            lostAddresses.forEach(
                    address -> batch.add("address replace " + address.cidr() + " dev " + iface + " nodad"));
            lostRoutes.forEach(route -> batch.add(FaultRules.routeReplace(
                    route.destination(),
                    route.gateway(),
                    iface,
                    isIpv6(route),
                    route.flags().contains("onlink"),
                    route.metric())));
        }
        check(
                faults.engine().runIp(List.of("-n", ns.systemName(), "-batch", "-"), BuildPlan.script(batch)),
                "set it up",
                null);
        down = false;
        faults.markDown(ns.name(), iface, false);
        lostRoutes = List.of();
        lostAddresses = List.of();
        if (awaitReady) {
            faults.awaitReady(ns.name(), iface, "lab.link(\"" + ns.name() + "\", \"" + iface + "\").up()");
        }
        return this;
    }

    /**
     * Drops {@code percent} of the IP packets (IPv4 and IPv6) leaving the interface, at random,
     * replacing an earlier loss; {@code 0} removes it. ARP and neighbour discovery are spared.
     *
     * @param percent 0 to 100, in steps of 0.01
     * @throws IllegalArgumentException outside 0-100, before anything changes
     */
    public synchronized InterfaceFaults loss(double percent) {
        FaultRules.loss(call("loss(" + percent + ")"), percent);
        String old = lossTable;
        if (percent > 0) {
            String table = faults.nextTable("loss");
            nft(FaultRules.lossTable(table, iface, percent), "add " + FaultRules.percent(percent) + " loss");
            lossTable = table;
        } else {
            lossTable = null;
        }
        loss = percent;
        if (old != null) {
            nft(FaultRules.deleteTable(old), "remove the earlier loss");
        }
        return this;
    }

    /**
     * Limits the rate of what leaves the interface with a tbf qdisc, e.g. {@code rate("1mbit")},
     * replacing its root qdisc (a rate or delay the spec gave it comes back with {@link #clear()}).
     *
     * @param rate a whole number followed by bit, kbit, mbit or gbit (per second)
     * @throws IllegalArgumentException for another form, before anything changes
     */
    public synchronized InterfaceFaults rate(String rate) {
        String call = call("rate(\"" + rate + "\")");
        FaultRules.rate(call, rate);
        shape(call, shape.withRate(rate));
        return this;
    }

    /**
     * Delays what leaves the interface by {@code delay}, give or take {@code jitter} (netem),
     * replacing an earlier delay; {@code delay(ZERO, ZERO)} removes it. Composes with
     * {@link #duplicate}, {@link #corrupt}, {@link #reorder}, {@link #rate} and {@link #loss}.
     *
     * @throws IllegalArgumentException for a delay outside 0-60 s or a jitter above the delay, before anything changes
     * @throws NetnsLabException         when the kernel has no netem qdisc, saying how to get it; nothing is changed
     */
    public synchronized InterfaceFaults delay(Duration delay, Duration jitter) {
        String call = call(FaultRules.delayCall(delay, jitter));
        FaultRules.delay(call, delay);
        FaultRules.jitter(call, delay, jitter);
        shape(call, shape.withDelay(delay, jitter));
        return this;
    }

    /** Sends {@code percent} of what leaves the interface twice (netem); 0 removes it. */
    public synchronized InterfaceFaults duplicate(double percent) {
        String call = call("duplicate(" + percent + ")");
        FaultRules.share(call, "duplicate", percent);
        shape(call, shape.withDuplicate(percent));
        return this;
    }

    /** Flips a random bit in {@code percent} of what leaves the interface (netem); 0 removes it. */
    public synchronized InterfaceFaults corrupt(double percent) {
        String call = call("corrupt(" + percent + ")");
        FaultRules.share(call, "corrupt", percent);
        shape(call, shape.withCorrupt(percent));
        return this;
    }

    /**
     * Sends {@code percent} of what leaves the interface at once while the rest waits out the
     * delay, so packets arrive out of order (netem); needs a {@link #delay}. 0 removes it.
     */
    public synchronized InterfaceFaults reorder(double percent) {
        String call = call("reorder(" + percent + ")");
        FaultRules.share(call, "reorder", percent);
        shape(call, shape.withReorder(percent));
        return this;
    }

    /** The impairments of what arrives on the interface; one per interface, made on first use. */
    public synchronized InboundFaults inbound() {
        if (inbound == null) {
            inbound = new InboundFaults(this, faults, ns, iface);
        }
        return inbound;
    }

    /**
     * Adds a TCP fault on {@code port} to the interface, replacing an earlier one of the same kind
     * on that port; see {@link FaultRules#tcpFaultTable}.
     *
     * @param bytes the limit of {@link FaultRules.TcpFault#LIMIT}; ignored otherwise
     */
    public synchronized InterfaceFaults tcpFault(FaultRules.TcpFault fault, int port, long bytes) {
        String call = FaultRules.tcpFaultCall(call(""), "resetConnections", fault, port, bytes);
        String table = faults.nextTable(fault.name().toLowerCase(java.util.Locale.ROOT));
        nft(FaultRules.tcpFaultTable(table, iface, fault, port, bytes), "add " + call);
        TcpRule rule = new TcpRule(fault, port, bytes, table);
        for (TcpRule old : List.copyOf(tcpRules)) {
            if (old.fault() == fault && old.port() == port) {
                tcpRules.remove(old);
                nft(FaultRules.deleteTable(old.table()), "remove the earlier " + old.describe());
            }
        }
        tcpRules.add(rule);
        return this;
    }

    /**
     * Takes the interface down and up again every {@code period} (down for the first half, up for
     * the second), {@code count} times or, with {@code count} 0, until {@link #clear()} or the lab
     * closes; replaces an earlier flap. Returns at once: a thread of the lab does the flapping,
     * and the interface is up when it ends.
     */
    public InterfaceFaults flap(Duration period, int count) {
        String call = call("flap(" + (period == null ? "null" : FaultRules.duration(period))
                + (count == 0 ? "" : ", " + count) + ")");
        FaultRules.flap(call, period, count);
        stopFlap();
        Flap next = new Flap(period, count);
        Thread thread = new Thread(() -> runFlap(next), "netnslab-flap-" + ns.name() + "-" + iface);
        thread.setDaemon(true);
        next.thread = thread;
        flap = next;
        thread.start();
        return this;
    }

    /** Whether a flap is still running. */
    public boolean isFlapping() {
        Flap current = flap;
        return current != null && current.thread.isAlive() && !current.stopped;
    }

    private void runFlap(Flap run) {
        Duration half = run.period.dividedBy(2);
        try {
            while (!run.stopped && (run.count == 0 || run.done < run.count)) {
                down();
                if (!sleep(half) || run.stopped) {
                    break;
                }
                up();
                run.done++;
                if (run.count != 0 && run.done >= run.count) {
                    break;
                }
                if (!sleep(run.period.minus(half))) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            if (!run.stopped) {
                run.failure = e;
            }
        }
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops a running flap and waits for its thread; the caller puts the interface up. */
    private void stopFlap() {
        Flap current = flap;
        if (current == null) {
            return;
        }
        current.stopped = true;
        current.thread.interrupt();
        try {
            current.thread.join(faults.engine().commandTimeout().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes {@code next} the interface's root qdisc, or leaves everything as it was. */
    private void shape(String call, QdiscShape next) {
        next.checkReorder(call);
        if (next.netem()) {
            ExecResult result = faults.engine()
                    .runInNamespace(
                            ns.systemName(),
                            next.argv(iface),
                            null,
                            faults.engine().commandTimeout());
            if (!result.isSuccess() && FaultRules.netemMissing(result.stderr())) {
                throw new NetnsLabException(NamespaceSettings.netemMissing(call) + " Nothing was changed: " + this
                        + " is as it was.\n" + result.describe());
            }
            check(result, "apply " + call, "tc comes with iproute2 (apt-get install -y iproute2)");
        } else if (next.rate() != null) {
            inside(next.argv(iface), null, "limit its rate to " + next.rate());
        } else if (shape.any()) {
            restoreQdisc();
        }
        shape = next;
    }

    /**
     * Sets the interface's MTU. Packets larger than it are fragmented or, with DF set, refused
     * with "message too long": the classic path-MTU trouble.
     *
     * @param mtu 68 to 65535 (IPv6 needs at least 1280)
     * @throws IllegalArgumentException outside that range, before anything changes
     */
    public synchronized InterfaceFaults mtu(int mtu) {
        FaultRules.mtu(call("mtu(" + mtu + ")"), mtu);
        ip(FaultRules.linkMtu(ns.systemName(), iface, mtu), "set its MTU to " + mtu);
        this.mtu = mtu;
        return this;
    }

    /**
     * Undoes every change made through this handle: the loss rules go, the rate and MTU are what the
     * lab built, and a link taken down is up again. Carries on past errors and reports them together.
     *
     * @throws NetnsLabException listing what could not be restored
     */
    public InterfaceFaults clear() {
        // The flap's thread takes this handle's lock: stop it before taking it here.
        stopFlap();
        Flap ended = flap;
        synchronized (this) {
            flap = null;
            return clearLocked(ended);
        }
    }

    private InterfaceFaults clearLocked(Flap ended) {
        faults.cleared(
                this,
                describeFaults() + (ended == null ? "" : (describeFaults().isEmpty() ? "" : ", ") + ended.describe()));
        List<RuntimeException> problems = new ArrayList<>();
        if (ended != null && ended.failure != null) {
            problems.add(ended.failure);
        }
        if (lossTable != null) {
            attempt(problems, () -> nft(FaultRules.deleteTable(lossTable), "remove the loss"));
            lossTable = null;
            loss = 0;
        }
        if (shape.any()) {
            attempt(problems, this::restoreQdisc);
            shape = QdiscShape.NONE;
        }
        if (inbound != null) {
            attempt(problems, inbound::clear);
        }
        for (TcpRule rule : List.copyOf(tcpRules)) {
            attempt(problems, () -> nft(FaultRules.deleteTable(rule.table()), "remove the " + rule.describe()));
        }
        tcpRules.clear();
        if (mtu != 0) {
            attempt(
                    problems,
                    () -> ip(FaultRules.linkMtu(ns.systemName(), iface, builtMtu), "restore its MTU " + builtMtu));
            mtu = 0;
        }
        if (down) {
            attempt(problems, this::up);
        }
        if (!problems.isEmpty()) {
            NetnsLabException failure = new NetnsLabException("Could not fully clear " + this + ": "
                    + problems.stream()
                            .map(Throwable::getMessage)
                            .reduce((a, b) -> a + "; " + b)
                            .orElse(""));
            problems.forEach(failure::addSuppressed);
            throw failure;
        }
        return this;
    }

    /** The faults now active, for notes: {@code down, loss 30%, rate 1mbit, mtu 1280}; empty when none. */
    public synchronized String describeFaults() {
        List<String> parts = new ArrayList<>();
        if (down) {
            parts.add("down");
        }
        if (lossTable != null) {
            parts.add("loss " + FaultRules.percent(loss));
        }
        shape.describe(parts, "");
        if (mtu != 0) {
            parts.add("mtu " + mtu);
        }
        tcpRules.forEach(rule -> parts.add(rule.describe()));
        if (inbound != null) {
            inbound.describe(parts);
        }
        Flap current = flap;
        if (current != null && current.thread.isAlive() && !current.stopped) {
            parts.add(current.describe());
        }
        return String.join(", ", parts);
    }

    /** The lab is closing and deletes the namespace, which undoes everything here; a flap stops first. */
    void forget() {
        stopFlap();
        forgetLocked();
    }

    private synchronized void forgetLocked() {
        flap = null;
        down = false;
        lossTable = null;
        shape = QdiscShape.NONE;
        if (inbound != null) {
            inbound.forget();
        }
        mtu = 0;
        tcpRules.clear();
    }

    private void restoreQdisc() {
        Topology.LinkSettings built = ns.lab().topology().links().stream()
                .filter(l -> l.namespace().equals(ns.name()) && l.iface().equals(iface))
                .findFirst()
                .orElse(null);
        String qdisc = built == null ? null : NamespaceSettings.qdisc(built);
        if (qdisc == null) {
            inside(FaultRules.rateClear(iface), null, "remove its rate limit");
        } else {
            inside(
                    List.of("tc", "-batch", "-"),
                    BuildPlan.script(List.of(qdisc.replaceFirst("^qdisc add ", "qdisc replace "))),
                    "restore the lab's qdisc");
        }
    }

    private static boolean isIpv6(Route route) {
        return route.destination().contains(":")
                || (route.gateway() != null && route.gateway().contains(":"))
                || (route.source() != null && route.source().contains(":"));
    }

    private String call(String method) {
        return "lab.link(\"" + ns.name() + "\", \"" + iface + "\")." + method;
    }

    private void ip(List<String> args, String what) {
        check(faults.engine().runIp(args, null), what, null);
    }

    private void nft(String script, String what) {
        inside(List.of("nft", "-f", "-"), script, what);
    }

    private void inside(List<String> argv, String stdin, String what) {
        ExecResult result = faults.engine()
                .runInNamespace(ns.systemName(), argv, stdin, faults.engine().commandTimeout());
        check(
                result,
                what,
                argv.get(0).equals("nft")
                        ? "nft must be installed (apt-get install -y nftables)"
                        : argv.get(0).equals("tc") ? "tc comes with iproute2 (apt-get install -y iproute2)" : null);
    }

    private void check(ExecResult result, String what, String hint) {
        if (!result.isSuccess()) {
            boolean missing = result.stderr().contains("No such file or directory");
            throw new NetnsLabException("Could not " + what + " on " + this
                    + (hint != null && missing ? " (" + hint + ")" : "") + "\n" + result.describe());
        }
    }

    private static void attempt(List<RuntimeException> problems, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            problems.add(e);
        }
    }

    @Override
    public synchronized String toString() {
        String active = describeFaults();
        return "link " + ns.name() + ":" + iface + (active.isEmpty() ? "" : " (" + active + ")");
    }
}
