package dev.netnslab.assertj;

import dev.netnslab.BridgePort;
import dev.netnslab.FdbEntry;
import dev.netnslab.InterfaceAddress;
import dev.netnslab.Namespace;
import dev.netnslab.Neighbour;
import dev.netnslab.NetInterface;
import dev.netnslab.Qdisc;
import dev.netnslab.Route;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.engine.LabNamespace;
import dev.netnslab.internal.probe.Reachability;
import dev.netnslab.internal.probe.Targets;
import dev.netnslab.internal.settings.Setting;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link Namespace}: reachability (ping, TCP; IPv4 and IPv6) and state
 * (interfaces, addresses, routes with their attributes, neighbours, FDB entries, bridge ports,
 * qdiscs, sysctls). A failure message is a diagnosis: the target, the command that ran with its
 * output, and the namespace's addresses (with prefixes) and routes; a failed reachability check
 * also says where the path breaks, stop by stop, there and back.
 *
 * <pre>{@code
 * assertThat(lab.host()).canPing("10.200.1.1");
 * assertThat(ns).hasInterface("veth2").hasAddress("10.200.1.1/24").hasRoute("default");
 * assertThat(pod).route("default").hasGateway("169.254.1.1").hasDevice("eth0");
 * }</pre>
 *
 * <p>{@code canPing} sends one echo with a short deadline and retries within a bounded total
 * ({@code netnslab.ping.timeout}, default 1 s): a passing check costs a few milliseconds, a
 * failing one at most that total.
 *
 * <p>To add checks of your own, extend this class the AssertJ way and keep the chain typed:
 *
 * <pre>{@code
 * public class WebNamespaceAssert extends AbstractNamespaceAssert<WebNamespaceAssert> {
 *     public WebNamespaceAssert(Namespace actual) {
 *         super(actual, WebNamespaceAssert.class);
 *     }
 *
 *     public WebNamespaceAssert servesHttp(String ip) {
 *         return canConnect(ip, 80);
 *     }
 * }
 * }</pre>
 *
 * @param <SELF> the concrete assertion class, returned by every check so that chains keep their type
 */
public abstract class AbstractNamespaceAssert<SELF extends AbstractNamespaceAssert<SELF>>
        extends AbstractAssert<SELF, Namespace> {

    /** The echo a failed canPing sends once more for the firewall counters: it only has to leave, not to be answered. */
    private static final Duration PATH_PROBE = Duration.ofMillis(100);

    /**
     * @param actual   the namespace to check
     * @param selfType the concrete class, as AssertJ's {@code AbstractAssert} needs it
     */
    protected AbstractNamespaceAssert(Namespace actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * Verifies that the namespace gets an echo reply from {@code ip}.
     *
     * <p>Passes: {@code assertThat(lab.host()).canPing("10.200.1.1")} in the single-namespace lab.
     * Fails: the same after {@code ns.exec("ip", "link", "set", "veth2", "down")}.
     *
     * @param ip an IPv4 or IPv6 address (no host names: nothing is resolved)
     */
    public SELF canPing(String ip) {
        isNotNull();
        String target = Targets.address(ip);
        Reachability.Outcome ping = Reachability.pingUntil(engine(), target, pingBudget());
        if (!ping.passed()) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.unreachable(
                            engine(),
                            target,
                            "to reach <" + target + ">",
                            "ping failed " + ping.attempts() + (ping.attempts() == 1 ? " time" : " times") + " within "
                                    + ping.budget().toMillis() + " ms.\nLast attempt:",
                            ping.last(),
                            () -> Reachability.pingOnce(engine(), target, PATH_PROBE)));
        }
        return myself;
    }

    /**
     * Verifies that the namespace gets no echo reply from {@code ip} within one short deadline.
     *
     * <p>Passes: {@code assertThat(ns).cannotPing("10.200.1.254")} after the veth is down.
     * Fails: the same while the link is up.
     */
    public SELF cannotPing(String ip) {
        isNotNull();
        String target = Targets.address(ip);
        Reachability.Outcome ping = Reachability.pingOnce(engine(), target, pingBudget());
        if (ping.passed()) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.probeFailure(
                            engine(), "not to reach <" + target + ">", "it got an echo reply:", ping.last()));
        }
        return myself;
    }

    /**
     * Verifies that a TCP connection from the namespace to {@code ip:port} is accepted.
     *
     * <p>Passes when a server in the lab listens there (for example one started with
     * {@link Namespace#spawn(String...)}); fails when nothing listens or the path is broken. Runs
     * {@code bash}'s {@code /dev/tcp} inside the namespace, with {@code ip} and {@code port} passed as
     * arguments, never spliced into the script. {@code ip} may be IPv6, written bare ({@code fd00::1},
     * no brackets).
     *
     * <pre>{@code
     * ns.spawn("python3", "-m", "http.server", "--bind", "10.200.1.1", "8080");
     * assertThat(lab.host()).canConnect("10.200.1.1", 8080);   // passes once the server listens
     * assertThat(lab.host()).canConnect("10.200.1.1", 8081);   // fails: connection refused
     * }</pre>
     */
    public SELF canConnect(String ip, int port) {
        return canConnect(ip, port, Reachability.CONNECT_BUDGET);
    }

    /**
     * Verifies that a TCP connection from the namespace to {@code ip:port} is accepted within
     * {@code timeout}; otherwise the same as {@link #canConnect(String, int)}, whose timeout is 2 s.
     *
     * <pre>{@code
     * assertThat(client).canConnect("10.0.0.2", 8080, Duration.ofMillis(300));
     * }</pre>
     *
     * @param timeout more than 0, at most 60 s
     */
    public SELF canConnect(String ip, int port, Duration timeout) {
        isNotNull();
        String target = Targets.address(ip);
        int checkedPort = Targets.port(port);
        Duration budget = Reachability.connectTimeout(timeout);
        Reachability.Outcome connect = Reachability.connect(engine(), target, checkedPort, budget);
        if (!connect.passed()) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.unreachable(
                            engine(),
                            target,
                            "to open a TCP connection to <" + ip + ":" + port + ">",
                            "it could not (" + Reachability.connectFailure(connect.last(), budget) + ").",
                            connect.last(),
                            () -> Reachability.connect(engine(), target, checkedPort, budget)));
        }
        return myself;
    }

    /**
     * Verifies that a TCP connection from the namespace to {@code ip:port} fails (refused, unreachable or timed out).
     *
     * <p>Passes when nothing listens there; fails when a server accepts the connection. A silent
     * path costs the whole timeout, 2 s; {@link #cannotConnect(String, int, Duration)} takes a shorter one.
     *
     * <pre>{@code
     * assertThat(lab.host()).cannotConnect("10.200.1.1", 8081);   // passes: nothing listens on 8081
     * }</pre>
     */
    public SELF cannotConnect(String ip, int port) {
        return cannotConnect(ip, port, Reachability.CONNECT_BUDGET);
    }

    /**
     * Verifies that a TCP connection from the namespace to {@code ip:port} is not accepted within
     * {@code timeout} (refused, unreachable or no answer); otherwise the same as
     * {@link #cannotConnect(String, int)}.
     *
     * <pre>{@code
     * try (Partition split = lab.partition("client", "server")) {
     *     assertThat(client).cannotConnect("10.0.0.2", 8080, Duration.ofMillis(300));
     * }
     * }</pre>
     *
     * @param timeout more than 0, at most 60 s
     */
    public SELF cannotConnect(String ip, int port, Duration timeout) {
        isNotNull();
        Duration budget = Reachability.connectTimeout(timeout);
        Reachability.Outcome connect = Reachability.connect(engine(), Targets.address(ip), Targets.port(port), budget);
        if (connect.passed()) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.probeFailure(
                            engine(),
                            "not to open a TCP connection to <" + ip + ":" + port + ">",
                            "the connection was accepted.",
                            connect.last()));
        }
        return myself;
    }

    /**
     * Verifies that the namespace has an interface called {@code name}.
     *
     * <p>Passes: {@code assertThat(ns).hasInterface("veth2")} in the single-namespace lab. Fails:
     * {@code hasInterface("eth0")}, listing the interfaces that do exist.
     */
    public SELF hasInterface(String name) {
        isNotNull();
        List<NetInterface> interfaces = actual.interfaces();
        if (interfaces.stream().noneMatch(i -> i.name().equals(name))) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "to have interface <" + name + ">", "it has only " + names(interfaces)));
        }
        return myself;
    }

    /**
     * Verifies that the namespace has no interface called {@code name}.
     *
     * <p>Passes: {@code hasNoInterface("veth1")} in the single-namespace lab's namespace (veth1 is on the host side).
     * Fails: {@code hasNoInterface("veth2")}.
     */
    public SELF hasNoInterface(String name) {
        isNotNull();
        List<NetInterface> interfaces = actual.interfaces();
        if (interfaces.stream().anyMatch(i -> i.name().equals(name))) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "not to have interface <" + name + ">", "it has: " + names(interfaces)));
        }
        return myself;
    }

    /**
     * Verifies that an interface of the namespace holds the address: {@code 10.200.1.1} matches it
     * with any prefix, {@code 10.200.1.1/24} only with that prefix.
     *
     * <p>Passes: {@code hasAddress("10.200.1.1/24")} in the single-namespace lab's namespace. Fails: {@code hasAddress("10.200.1.1/16")}.
     */
    public SELF hasAddress(String ipOrCidr) {
        isNotNull();
        List<InterfaceAddress> addresses = actual.addresses();
        if (addresses.stream().noneMatch(a -> matches(a, ipOrCidr))) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "to have address <" + ipOrCidr + ">", "its addresses are " + addresses));
        }
        return myself;
    }

    /**
     * Verifies that no interface of the namespace holds the address.
     *
     * <p>Passes: {@code hasNoAddress("10.200.1.254")} in the single-namespace lab's namespace. Fails: {@code hasNoAddress("10.200.1.1")}.
     */
    public SELF hasNoAddress(String ipOrCidr) {
        isNotNull();
        List<InterfaceAddress> addresses = actual.addresses();
        if (addresses.stream().anyMatch(a -> matches(a, ipOrCidr))) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "not to have address <" + ipOrCidr + ">", "its addresses are " + addresses));
        }
        return myself;
    }

    /**
     * Verifies that the main routing table has a route to {@code destination}: {@code default}, or a
     * network such as {@code 10.200.1.0/24} or {@code fd00:1::/64} (host routes may be written with or
     * without {@code /32} or {@code /128}).
     *
     * <p>Passes: {@code hasRoute("default")} in the single-namespace lab's namespace. Fails: {@code hasRoute("10.9.0.0/16")},
     * listing the routes it has.
     */
    public SELF hasRoute(String destination) {
        isNotNull();
        String wanted = Targets.routeDestination(destination);
        List<Route> routes = actual.routes();
        if (routes.stream().noneMatch(r -> wanted.equals(r.destination()))) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "to have a route to <" + destination + ">", "its routes are " + routes));
        }
        return myself;
    }

    /**
     * Verifies that the main routing table has no route to {@code destination}.
     *
     * <p>Passes: {@code hasNoRoute("default")} in the host sandbox of the single-namespace lab. Fails:
     * {@code hasNoRoute("default")} in its namespace.
     */
    public SELF hasNoRoute(String destination) {
        isNotNull();
        String wanted = Targets.routeDestination(destination);
        List<Route> routes = actual.routes();
        if (routes.stream().anyMatch(r -> wanted.equals(r.destination()))) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "not to have a route to <" + destination + ">", "its routes are " + routes));
        }
        return myself;
    }

    /**
     * Verifies that the main table has a route to {@code destination}, and returns assertions on it.
     * With several routes to one destination (different metrics), the one the kernel prefers (the
     * lowest metric) is taken.
     *
     * <p>Passes: {@code route("default").hasGateway("10.200.1.254")} in the single-namespace lab's namespace. Fails:
     * {@code route("10.9.0.0/16")}, listing the routes it has.
     */
    public RouteAssert route(String destination) {
        isNotNull();
        String wanted = Targets.routeDestination(destination);
        List<Route> routes = actual.routes();
        Route found = routes.stream()
                .filter(r -> wanted.equals(r.destination()))
                .min(Comparator.comparingLong(Route::metric))
                .orElse(null);
        if (found == null) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "to have a route to <" + destination + ">", "its routes are " + routes));
        }
        return new RouteAssert(found, actual.name());
    }

    /**
     * Verifies that the namespace has an interface called {@code name}, and returns assertions on its
     * MAC, MTU and state.
     *
     * <p>Passes: {@code link("veth2").hasMtu(1500).isUp()} in the single-namespace lab's namespace. Fails: {@code link("eth9")}.
     */
    public LinkAssert link(String name) {
        isNotNull();
        List<NetInterface> interfaces = actual.interfaces();
        NetInterface found = interfaces.stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .orElse(null);
        if (found == null) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "to have interface <" + name + ">", "it has only " + names(interfaces)));
        }
        return new LinkAssert(found, actual.name());
    }

    /**
     * Verifies that {@code name} is a bridge port in the namespace, and returns assertions on its flags.
     *
     * <p>Passes: {@code bridgePort("veth1").isNotHairpin()} for a port of a bridge. Fails for an
     * interface that is no bridge's port, listing the ports there are.
     */
    public BridgePortAssert bridgePort(String name) {
        isNotNull();
        List<BridgePort> ports = actual.bridgePorts();
        BridgePort found =
                ports.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        if (found == null) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "to have bridge port <" + name + ">", "its bridge ports are " + ports));
        }
        return new BridgePortAssert(found, actual.name());
    }

    /**
     * Verifies that the neighbour table maps {@code ip} to {@code mac} (in any state but FAILED or INCOMPLETE).
     *
     * <p>Passes: {@code hasNeighbour("10.1.0.0", "02:42:ac:11:00:03")} after {@code neighbour(...)} in the
     * spec. Fails when the entry is missing or resolved to another MAC, listing the table.
     */
    public SELF hasNeighbour(String ip, String mac) {
        isNotNull();
        String wanted = Targets.address(ip);
        List<Neighbour> neighbours = actual.neighbours();
        boolean found = neighbours.stream()
                .anyMatch(n -> sameAddress(n.address(), wanted)
                        && n.mac().equalsIgnoreCase(mac)
                        && !n.states().contains("FAILED")
                        && !n.states().contains("INCOMPLETE"));
        if (!found) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(),
                            "to have neighbour <" + ip + "> at <" + mac + ">",
                            "its neighbours are " + neighbours));
        }
        return myself;
    }

    /** Verifies that the neighbour table has no entry for {@code ip}. Fails naming the entry there is. */
    public SELF hasNoNeighbour(String ip) {
        isNotNull();
        String wanted = Targets.address(ip);
        List<Neighbour> neighbours = actual.neighbours();
        if (neighbours.stream().anyMatch(n -> sameAddress(n.address(), wanted))) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "to have no neighbour <" + ip + ">", "its neighbours are " + neighbours));
        }
        return myself;
    }

    /**
     * Verifies that {@code device} has a forwarding-database entry for {@code mac} towards {@code destination}
     * (a VXLAN entry's {@code dst}; {@code null} for any).
     *
     * <p>Passes: {@code hasFdbEntry("flannel.1", "02:42:ac:11:00:03", "10.0.0.20")} on a Flannel node. Fails
     * when the entry is missing or points elsewhere, listing the device's entries.
     */
    public SELF hasFdbEntry(String device, String mac, String destination) {
        isNotNull();
        List<FdbEntry> entries =
                actual.fdb().stream().filter(e -> device.equals(e.device())).toList();
        boolean found = entries.stream()
                .anyMatch(e -> e.mac().equalsIgnoreCase(mac)
                        && (destination == null || sameAddress(e.destination(), Targets.address(destination))));
        if (!found) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(),
                            "to have FDB entry <" + mac + "> on <" + device + ">"
                                    + (destination == null ? "" : " towards <" + destination + ">"),
                            device + "'s entries are " + entries));
        }
        return myself;
    }

    /** Verifies that {@code device} has no forwarding-database entry for {@code mac}. */
    public SELF hasNoFdbEntry(String device, String mac) {
        isNotNull();
        List<FdbEntry> entries =
                actual.fdb().stream().filter(e -> device.equals(e.device())).toList();
        if (entries.stream().anyMatch(e -> e.mac().equalsIgnoreCase(mac))) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(),
                            "to have no FDB entry <" + mac + "> on <" + device + ">",
                            device + "'s entries are " + entries));
        }
        return myself;
    }

    /**
     * Verifies that {@code device} has a qdisc of {@code kind} ({@code tbf}, {@code htb}, ...).
     *
     * <p>Passes: {@code hasQdisc("eth0", "tbf")} after {@code rate(...)} in the spec. Fails listing the qdiscs there are.
     */
    public SELF hasQdisc(String device, String kind) {
        isNotNull();
        List<Qdisc> qdiscs =
                actual.qdiscs().stream().filter(q -> device.equals(q.device())).toList();
        if (qdiscs.stream().noneMatch(q -> kind.equals(q.kind()))) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "to have a " + kind + " qdisc on <" + device + ">", device + " has " + qdiscs));
        }
        return myself;
    }

    /** Verifies that {@code device} has no qdisc of {@code kind}. */
    public SELF hasNoQdisc(String device, String kind) {
        isNotNull();
        List<Qdisc> qdiscs =
                actual.qdiscs().stream().filter(q -> device.equals(q.device())).toList();
        if (qdiscs.stream().anyMatch(q -> kind.equals(q.kind()))) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "to have no " + kind + " qdisc on <" + device + ">", device + " has " + qdiscs));
        }
        return myself;
    }

    /**
     * Verifies a sysctl's value as the namespace sees it.
     *
     * <p>Passes: {@code hasSysctl("net.ipv4.ip_forward", "1")} on a node that forwards. Fails naming the value it has.
     */
    public SELF hasSysctl(String key, String value) {
        isNotNull();
        String found = actual.sysctl(key);
        if (!found.equals(value)) {
            failWithMessage(
                    "%s",
                    NamespaceMessages.stateFailure(
                            engine(), "to have " + key + " = <" + value + ">", "it is <" + found + ">"));
        }
        return myself;
    }

    private Duration pingBudget() {
        return engine().lab().settings().get(Setting.PING_TIMEOUT);
    }

    private static boolean matches(InterfaceAddress address, String ipOrCidr) {
        int slash = ipOrCidr.indexOf('/');
        String ip = Targets.address(slash < 0 ? ipOrCidr : ipOrCidr.substring(0, slash));
        return sameAddress(address.address(), ip)
                && (slash < 0 || ipOrCidr.substring(slash + 1).equals(String.valueOf(address.prefix())));
    }

    private static boolean sameAddress(String read, String canonical) {
        if (read == null) {
            return false;
        }
        try {
            return Targets.address(read).equals(canonical);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> names(List<NetInterface> interfaces) {
        return interfaces.stream().map(NetInterface::name).toList();
    }

    /** The engine's view of the namespace under test, which the probes and diagnostics work on. */
    private LabNamespace engine() {
        return ApiBridge.engine(actual);
    }
}
