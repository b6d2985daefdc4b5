package dev.netnslab;

/**
 * The options of a route, for {@link LabSpec.Builder#route(String, String, String, RouteOptions)},
 * {@link LabSpec.Builder#route(String, String, RouteOptions)} and
 * {@link LabSpec.Builder#blackhole(String, String, RouteOptions)}. Immutable; start from a static
 * method and add with the {@code with...} methods, each named after the {@code ip route} keyword it sets:
 *
 * <pre>{@code
 * .route("node1:flannel.1", "10.244.2.0/24", "10.244.2.0", RouteOptions.onLink())   // ... dev flannel.1 onlink
 * .route("r:eth1", "default", "10.0.2.1", RouteOptions.table(100).withMetric(10))  // ... table 100 metric 10
 * .route("pod:eth0", "10.1.1.0/24", "10.1.1.1", RouteOptions.src("10.1.1.2"))      // ... src 10.1.1.2
 * }</pre>
 */
public final class RouteOptions {

    private static final RouteOptions NONE = new RouteOptions(false, null, null, -1, 0, 0);

    private final boolean onLink;
    private final String scope;
    private final String src;
    private final long metric;
    private final long table;
    private final int mtu;

    private RouteOptions(boolean onLink, String scope, String src, long metric, long table, int mtu) {
        this.onLink = onLink;
        this.scope = scope;
        this.src = src;
        this.metric = metric;
        this.table = table;
        this.mtu = mtu;
    }

    /** No options. */
    public static RouteOptions none() {
        return NONE;
    }

    /** {@code onlink}: the gateway is directly reachable on the route's dev, whatever the subnets say (needs a dev). */
    public static RouteOptions onLink() {
        return NONE.withOnLink();
    }

    /** {@code scope}: {@code global}, {@code site}, {@code link} or {@code host}. */
    public static RouteOptions scope(String scope) {
        return NONE.withScope(scope);
    }

    /** {@code src}: the source address for packets this namespace sends by the route; one of its own addresses. */
    public static RouteOptions src(String address) {
        return NONE.withSrc(address);
    }

    /** {@code metric}: the lower wins among routes to one destination (0-4294967295). */
    public static RouteOptions metric(long metric) {
        return NONE.withMetric(metric);
    }

    /** {@code table}: the routing table (1-4294967295; main is 254), consulted through {@code rule(...)}. */
    public static RouteOptions table(long table) {
        return NONE.withTable(table);
    }

    /** {@code mtu}: the path MTU for destinations of this route. */
    public static RouteOptions mtu(int mtu) {
        return NONE.withMtu(mtu);
    }

    public RouteOptions withOnLink() {
        return new RouteOptions(true, scope, src, metric, table, mtu);
    }

    public RouteOptions withScope(String value) {
        return new RouteOptions(onLink, value, src, metric, table, mtu);
    }

    public RouteOptions withSrc(String value) {
        return new RouteOptions(onLink, scope, value, metric, table, mtu);
    }

    public RouteOptions withMetric(long value) {
        return new RouteOptions(onLink, scope, src, value, table, mtu);
    }

    public RouteOptions withTable(long value) {
        return new RouteOptions(onLink, scope, src, metric, value, mtu);
    }

    public RouteOptions withMtu(int value) {
        return new RouteOptions(onLink, scope, src, metric, table, value);
    }

    boolean isOnLink() {
        return onLink;
    }

    String scopeName() {
        return scope;
    }

    String srcText() {
        return src;
    }

    long metricValue() {
        return metric;
    }

    long tableValue() {
        return table;
    }

    int mtuValue() {
        return mtu;
    }

    @Override
    public String toString() {
        return "RouteOptions[" + (onLink ? "onlink" : "") + (scope == null ? "" : " scope " + scope)
                + (src == null ? "" : " src " + src) + (metric < 0 ? "" : " metric " + metric)
                + (table == 0 ? "" : " table " + table) + (mtu == 0 ? "" : " mtu " + mtu) + "]";
    }
}
