package dev.netnslab.assertj;

import dev.netnslab.ExecResult;
import dev.netnslab.InterfaceAddress;
import dev.netnslab.Namespace;
import dev.netnslab.NetInterface;
import dev.netnslab.Route;
import dev.netnslab.Settings;
import dev.netnslab.topology.InvalidLabSpecException;
import dev.netnslab.topology.Ipv4Address;
import dev.netnslab.topology.Ipv4Cidr;
import org.assertj.core.api.AbstractAssert;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Assertions on a {@link Namespace}: reachability (ping, TCP) and state (interfaces, addresses,
 * routes). A failure message is a diagnosis: the target, the command that ran with its output, and
 * the namespace's addresses (with prefixes) and routes.
 *
 * <pre>{@code
 * assertThat(lab.host()).canPing("10.200.1.1");
 * assertThat(ns).hasInterface("veth2").hasAddress("10.200.1.1/24").hasRoute("default");
 * }</pre>
 *
 * <p>{@code canPing} sends one echo with a short deadline and retries within a bounded total
 * ({@code netnslab.ping.timeout}, default 1 s): a passing check costs a few milliseconds, a
 * failing one at most that total.
 */
public class NamespaceAssert extends AbstractAssert<NamespaceAssert, Namespace> {

    /** Deadline of one echo; a veth answers in microseconds, so this only bounds the failing case. */
    private static final Duration ATTEMPT = Duration.ofMillis(250);
    private static final Duration DEFAULT_PING_BUDGET = Duration.ofSeconds(1);
    private static final Duration CONNECT_BUDGET = Duration.ofSeconds(2);

    NamespaceAssert(Namespace actual) {
        super(actual, NamespaceAssert.class);
    }

    /**
     * Verifies that the namespace gets an echo reply from {@code ip}.
     *
     * <p>Passes: {@code assertThat(lab.host()).canPing("10.200.1.1")} in the seed's lab.
     * Fails: the same after {@code ns.exec("ip", "link", "set", "veth2", "down")}.
     *
     * @param ip an IPv4 address (no host names: nothing is resolved)
     */
    public NamespaceAssert canPing(String ip) {
        isNotNull();
        String target = checkTarget(ip);
        Duration budget = pingBudget();
        long deadline = System.nanoTime() + budget.toNanos();
        int attempts = 0;
        ExecResult last;
        while (true) {
            attempts++;
            last = ping(target, ATTEMPT);
            if (last.isSuccess()) {
                return myself;
            }
            if (System.nanoTime() + ATTEMPT.toNanos() / 5 > deadline) {
                break;
            }
            pause(Duration.ofMillis(20));
        }
        failWithMessage("%s", "Expecting namespace <" + actual.name() + "> to reach <" + target + "> but ping failed "
                + attempts + (attempts == 1 ? " time" : " times") + " within " + budget.toMillis() + " ms.\n"
                + "Last attempt:\n" + indent(last.describe()) + "\n" + state());
        return myself;
    }

    /**
     * Verifies that the namespace gets no echo reply from {@code ip} within one short deadline.
     *
     * <p>Passes: {@code assertThat(ns).cannotPing("10.200.1.254")} after the veth is down.
     * Fails: the same while the link is up.
     */
    public NamespaceAssert cannotPing(String ip) {
        isNotNull();
        String target = checkTarget(ip);
        Duration deadline = pingBudget().compareTo(Duration.ofMillis(500)) < 0 ? pingBudget() : Duration.ofMillis(500);
        ExecResult result = ping(target, deadline);
        if (result.isSuccess()) {
            failWithMessage("%s", "Expecting namespace <" + actual.name() + "> not to reach <" + target
                    + "> but it got an echo reply:\n" + indent(result.describe()) + "\n" + state());
        }
        return myself;
    }

    /**
     * Verifies that a TCP connection from the namespace to {@code ip:port} is accepted.
     *
     * <p>Passes when a server in the lab listens there (for example one started with
     * {@link Namespace#spawn(String...)}); fails when nothing listens or the path is broken. Runs
     * {@code bash}'s {@code /dev/tcp} inside the namespace, with {@code ip} and {@code port} passed as
     * arguments, never spliced into the script.
     *
     * <pre>{@code
     * ns.spawn("python3", "-m", "http.server", "--bind", "10.200.1.1", "8080");
     * assertThat(lab.host()).canConnect("10.200.1.1", 8080);   // passes once the server listens
     * assertThat(lab.host()).canConnect("10.200.1.1", 8081);   // fails: connection refused
     * }</pre>
     */
    public NamespaceAssert canConnect(String ip, int port) {
        isNotNull();
        ExecResult result = connect(checkTarget(ip), checkPort(port));
        if (!result.isSuccess()) {
            failWithMessage("%s", "Expecting namespace <" + actual.name() + "> to open a TCP connection to <" + ip + ":" + port
                    + "> but it could not (" + connectOutcome(result) + ").\n" + indent(result.describe()) + "\n" + state());
        }
        return myself;
    }

    /**
     * Verifies that a TCP connection from the namespace to {@code ip:port} fails (refused, unreachable or timed out).
     *
     * <p>Passes when nothing listens there; fails when a server accepts the connection.
     *
     * <pre>{@code
     * assertThat(lab.host()).cannotConnect("10.200.1.1", 8081);   // passes: nothing listens on 8081
     * }</pre>
     */
    public NamespaceAssert cannotConnect(String ip, int port) {
        isNotNull();
        ExecResult result = connect(checkTarget(ip), checkPort(port));
        if (result.isSuccess()) {
            failWithMessage("%s", "Expecting namespace <" + actual.name() + "> not to open a TCP connection to <" + ip + ":" + port
                    + "> but the connection was accepted.\n" + indent(result.describe()) + "\n" + state());
        }
        return myself;
    }

    /**
     * Verifies that the namespace has an interface called {@code name}.
     *
     * <p>Passes: {@code assertThat(ns).hasInterface("veth2")} in the seed's lab. Fails:
     * {@code hasInterface("eth0")}, listing the interfaces that do exist.
     */
    public NamespaceAssert hasInterface(String name) {
        isNotNull();
        List<NetInterface> interfaces = actual.interfaces();
        if (interfaces.stream().noneMatch(i -> i.name().equals(name))) {
            failWithMessage("%s", "Expecting namespace <" + actual.name() + "> to have interface <" + name
                    + "> but it has only " + names(interfaces));
        }
        return myself;
    }

    /**
     * Verifies that the namespace has no interface called {@code name}.
     *
     * <p>Passes: {@code hasNoInterface("veth1")} in the seed's namespace (veth1 is on the host side).
     * Fails: {@code hasNoInterface("veth2")}.
     */
    public NamespaceAssert hasNoInterface(String name) {
        isNotNull();
        List<NetInterface> interfaces = actual.interfaces();
        if (interfaces.stream().anyMatch(i -> i.name().equals(name))) {
            failWithMessage("%s", "Expecting namespace <" + actual.name() + "> not to have interface <" + name
                    + "> but it has: " + names(interfaces));
        }
        return myself;
    }

    /**
     * Verifies that an interface of the namespace holds the address: {@code 10.200.1.1} matches it
     * with any prefix, {@code 10.200.1.1/24} only with that prefix.
     *
     * <p>Passes: {@code hasAddress("10.200.1.1/24")} in the seed's namespace. Fails: {@code hasAddress("10.200.1.1/16")}.
     */
    public NamespaceAssert hasAddress(String ipOrCidr) {
        isNotNull();
        List<InterfaceAddress> addresses = actual.addresses();
        if (addresses.stream().noneMatch(a -> matches(a, ipOrCidr))) {
            failWithMessage("%s", "Expecting namespace <" + actual.name() + "> to have address <" + ipOrCidr
                    + "> but its addresses are " + addresses);
        }
        return myself;
    }

    /**
     * Verifies that no interface of the namespace holds the address.
     *
     * <p>Passes: {@code hasNoAddress("10.200.1.254")} in the seed's namespace. Fails: {@code hasNoAddress("10.200.1.1")}.
     */
    public NamespaceAssert hasNoAddress(String ipOrCidr) {
        isNotNull();
        List<InterfaceAddress> addresses = actual.addresses();
        if (addresses.stream().anyMatch(a -> matches(a, ipOrCidr))) {
            failWithMessage("%s", "Expecting namespace <" + actual.name() + "> not to have address <" + ipOrCidr
                    + "> but its addresses are " + addresses);
        }
        return myself;
    }

    /**
     * Verifies that the main routing table has a route to {@code destination}: {@code default}, or a
     * network such as {@code 10.200.1.0/24} ({@code /32} routes may be written with or without {@code /32}).
     *
     * <p>Passes: {@code hasRoute("default")} in the seed's namespace. Fails: {@code hasRoute("10.9.0.0/16")},
     * listing the routes it has.
     */
    public NamespaceAssert hasRoute(String destination) {
        isNotNull();
        String wanted = normalizeDestination(destination);
        List<Route> routes = actual.routes();
        if (routes.stream().noneMatch(r -> wanted.equals(r.destination()))) {
            failWithMessage("%s", "Expecting namespace <" + actual.name() + "> to have a route to <" + destination
                    + "> but its routes are " + routes);
        }
        return myself;
    }

    /**
     * Verifies that the main routing table has no route to {@code destination}.
     *
     * <p>Passes: {@code hasNoRoute("default")} in the host sandbox of the seed's lab. Fails:
     * {@code hasNoRoute("default")} in its namespace.
     */
    public NamespaceAssert hasNoRoute(String destination) {
        isNotNull();
        String wanted = normalizeDestination(destination);
        List<Route> routes = actual.routes();
        if (routes.stream().anyMatch(r -> wanted.equals(r.destination()))) {
            failWithMessage("%s", "Expecting namespace <" + actual.name() + "> not to have a route to <" + destination
                    + "> but its routes are " + routes);
        }
        return myself;
    }

    private ExecResult ping(String target, Duration deadline) {
        String seconds = String.format(Locale.ROOT, "%.3f", deadline.toMillis() / 1000.0);
        return actual.exec(deadline.plusSeconds(5), "ping", "-n", "-q", "-c", "1", "-W", seconds, target);
    }

    private ExecResult connect(String target, int port) {
        long seconds = Math.max(1, CONNECT_BUDGET.toSeconds());
        return actual.exec(CONNECT_BUDGET.plusSeconds(5), "timeout", String.valueOf(seconds),
                "bash", "-c", "exec 3<>\"/dev/tcp/$1/$2\"", "netnslab-connect", target, String.valueOf(port));
    }

    private static String connectOutcome(ExecResult result) {
        if (result.exitCode() == 124) {
            return "no answer within " + CONNECT_BUDGET.toMillis() + " ms";
        }
        String err = result.stderr();
        if (err.contains("refused")) {
            return "connection refused";
        }
        if (err.contains("unreachable")) {
            return "network unreachable";
        }
        return "exit " + result.exitCode();
    }

    private Duration pingBudget() {
        Settings settings = actual.lab().settings();
        return settings.getDuration(Settings.PING_TIMEOUT, DEFAULT_PING_BUDGET);
    }

    /** The namespace's addresses and routes, read now; used in every reachability failure. */
    private String state() {
        return "Its addresses: " + read(() -> actual.addresses().stream()
                .filter(a -> a.family().equals("inet")).map(InterfaceAddress::toString).toList())
                + "\nIts routes: " + read(() -> actual.routes().stream().map(Route::toString).toList());
    }

    private static String read(Supplier<List<String>> reader) {
        try {
            return reader.get().toString();
        } catch (RuntimeException e) {
            return "<could not be read: " + e.getMessage().lines().findFirst().orElse("") + ">";
        }
    }

    private static String checkTarget(String ip) {
        try {
            return Ipv4Address.parse("ip", ip).toString();
        } catch (InvalidLabSpecException e) {
            throw new IllegalArgumentException("The target must be an IPv4 address such as 10.200.1.1 (nothing is resolved), "
                    + "but was '" + ip + "': " + e.rule(), e);
        }
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("A TCP port must be 1-65535 but was " + port);
        }
        return port;
    }

    private static boolean matches(InterfaceAddress address, String ipOrCidr) {
        return ipOrCidr.contains("/") ? address.cidr().equals(ipOrCidr) : address.address().equals(ipOrCidr);
    }

    private static String normalizeDestination(String destination) {
        if (destination == null || "default".equals(destination) || "0.0.0.0/0".equals(destination)) {
            return "default";
        }
        Ipv4Cidr cidr = Ipv4Cidr.parse("destination", destination, 32);
        return cidr.toRouteString();
    }

    private static List<String> names(List<NetInterface> interfaces) {
        return interfaces.stream().map(NetInterface::name).toList();
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
