package dev.netnslab.assertj;

import dev.netnslab.Route;
import java.util.Objects;
import org.assertj.core.api.AbstractObjectAssert;

/**
 * Assertions on one {@link Route} of a namespace, reached through {@code assertThat(ns).route(destination)}:
 * the attributes a CNI plugin's own tests check.
 *
 * <pre>{@code
 * assertThat(pod).route("default").hasGateway("169.254.1.1").hasDevice("eth0");
 * assertThat(pod).route("169.254.1.1").hasScope("link");
 * }</pre>
 *
 * A failure names the namespace, the route as {@code ip route} prints it, and the attribute it has.
 */
public class RouteAssert extends AbstractObjectAssert<RouteAssert, Route> {

    private final String namespace;

    RouteAssert(Route actual, String namespace) {
        super(actual, RouteAssert.class);
        this.namespace = namespace;
    }

    /** Verifies that the route goes via {@code gateway}. Fails for an on-link route or another gateway. */
    public RouteAssert hasGateway(String gateway) {
        return check("gateway", gateway, actual.gateway());
    }

    /** Verifies that the route has no gateway: its destination is on the link. */
    public RouteAssert hasNoGateway() {
        return check("gateway", null, actual.gateway());
    }

    /** Verifies that the route leaves through {@code device}. */
    public RouteAssert hasDevice(String device) {
        return check("device", device, actual.device());
    }

    /** Verifies the route's scope: {@code link}, {@code host}, or {@code global} (which {@code ip} leaves unsaid). */
    public RouteAssert hasScope(String scope) {
        return check("scope", scope, actual.scope() == null ? "global" : actual.scope());
    }

    /** Verifies the route's preferred source address ({@code src}). */
    public RouteAssert hasSource(String source) {
        return check("source", source, actual.source());
    }

    /** Verifies the route's metric ({@code 0} when the kernel reports none). */
    public RouteAssert hasMetric(long metric) {
        return check("metric", String.valueOf(metric), String.valueOf(actual.metric()));
    }

    /** Verifies the route's table: {@code main}, {@code local}, or a number such as {@code 100}. */
    public RouteAssert hasTable(String table) {
        return check("table", table, actual.table());
    }

    /** Verifies the route's type: {@code unicast}, {@code blackhole}, {@code unreachable}, {@code prohibit}, ... */
    public RouteAssert hasType(String type) {
        return check("type", type, actual.type());
    }

    /** Verifies that the route is marked {@code onlink}: its gateway is taken as reachable on the device. */
    public RouteAssert isOnLink() {
        isNotNull();
        if (!actual.isOnLink()) {
            failWithMessage(
                    "%s",
                    "Expecting route <" + actual + "> of namespace <" + namespace + "> to be onlink but its flags are "
                            + actual.flags());
        }
        return myself;
    }

    private RouteAssert check(String attribute, String expected, String found) {
        isNotNull();
        if (!Objects.equals(expected, found)) {
            failWithMessage(
                    "%s",
                    "Expecting route <" + actual.destination() + "> of namespace <" + namespace + "> to have "
                            + (expected == null ? "no " + attribute : attribute + " <" + expected + ">")
                            + " but it has " + (found == null ? "none" : "<" + found + ">") + ": " + actual);
        }
        return myself;
    }
}
