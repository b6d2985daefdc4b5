package dev.netnslab.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Builds a real network-namespace lab for a test class or a test method, injects handles on it,
 * and tears it down afterwards.
 *
 * <pre>{@code
 * @NetnsLab(ns = "netns1", ip = "10.200.1.1")
 * class SingleNamespaceTest {
 *     @Test
 *     void reachable(Lab lab, Namespace ns) {
 *         assertThat(lab.host()).canPing("10.200.1.1");
 *         assertThat(ns).canPing(lab.host().address());
 *     }
 * }
 * }</pre>
 *
 * <h2>Creation</h2>
 * The lab is one namespace on a veth pair: namespace {@link #ns()} joined by the veth pair
 * {@code veth1}/{@code veth2} to the lab's host side, with {@link #ip()} in the namespace,
 * {@link #hostIp()} on the host side, {@code lo} up and a default route via the host address. The
 * host side is a sandbox namespace of the lab's own, so the machine's routing is never changed. The
 * attributes are validated before anything is created; a bad value fails with a message that names
 * the attribute, the value and the rule.
 *
 * <h2>Scope</h2>
 * On a class, one lab serves every test of the class: it is built before all tests and torn down
 * after all of them. On a method, the method gets a lab of its own, and what one method changes the
 * next never sees. A method annotation wins over the class one. Labs get unique system names, so
 * tests with identical labs may run in parallel.
 *
 * <h2>Topologies</h2>
 * For labs beyond one namespace, name a {@link dev.netnslab.LabTopology} class in {@link #topology()};
 * its {@code define()} returns the {@link dev.netnslab.LabSpec}. {@code ns}, {@code ip} and
 * {@code hostIp} then must stay at their defaults.
 *
 * <pre>{@code
 * @NetnsLab(topology = TwoNodes.class)
 * class RoutingTest {
 *     @Test
 *     void reach(@Netns("c1") Namespace c1) {
 *         assertThat(c1).canPing("172.16.1.2");
 *     }
 * }
 * }</pre>
 *
 * <h2>Topology files</h2>
 * A Kathara lab or a containerlab file from the test's resources runs as it is: name it in
 * {@link #file()}, such as {@code @NetnsLab(file = "labs/two-routers")}.
 *
 * <h2>Sharing one lab between test classes</h2>
 * With {@link #shared()} {@code = true}, the lab is built once per test run, on first use, and every
 * class (or method) whose annotation names the same topology (or, without one, the same
 * {@code ns}/{@code ip}/{@code hostIp}) gets that same running lab, like a Testcontainers singleton
 * container. It lives in JUnit's root store and is torn down when the run ends, after its last
 * user, also when tests failed. Users of a shared lab must not change it in ways the next class
 * would notice (take a lab of your own for that).
 *
 * <h2>Injection</h2>
 * Parameters and non-final fields of type {@link dev.netnslab.Lab} and {@link dev.netnslab.Namespace}
 * are injected (static fields only from a class-level lab). With several namespaces, pick one with
 * {@link Netns @Netns}. When a handle cannot be injected, the message names the parameter (its
 * position, its type, and its name when the class is compiled with {@code -parameters}) or field,
 * the method, and the lab's namespaces, and says what to write:
 *
 * <pre>{@code
 * Cannot inject parameter 0 (Namespace) of RoutingTest.reach(Namespace): the lab has 2 namespaces
 * [c1, c2] and nothing says which one; pick one with @Netns("name"): @Netns("c1"), @Netns("c2"),
 * or @Netns("host") for the host side
 * }</pre>
 *
 * Fields are set by this library's module: tests that run on the module path open their package
 * to {@code dev.netnslab.junit} (or to everyone), as they do to JUnit.
 *
 * <h2>Clean up</h2>
 * The lab is a value of the JUnit store of the class or method that declared it, and JUnit closes
 * it when that scope ends: its namespaces, and with them their interfaces, are deleted, and nothing
 * the lab did not create is touched.
 *
 * <h2>On failure</h2>
 * When a test or one of its lifecycle methods fails, the state of every namespace of its labs is
 * read before teardown (links with counters, addresses, routes, neighbours, iptables and nftables
 * rules, packet captures, a Mermaid diagram) and attached to the failure as a suppressed exception,
 * one per lab, the test's nearest lab first (a method's own lab, then its class's), and as report
 * entries; an SVG of the lab is written under {@code target/netnslab/}. The failure
 * itself is never replaced. Set {@code netnslab.keepOnFailure}{@code =true} to keep a failed test's
 * lab for a look by hand: the report then ends with the commands to enter and delete it.
 *
 * <pre>{@code
 * ./mvnw test -Dtest=Scenario1SingleNamespaceTest -Dnetnslab.keepOnFailure=true
 * #   enter netns1:  ip netns exec netns1-nl4k2x9q bash
 * #   delete it:     ip netns del host-nl4k2x9q && ip netns del netns1-nl4k2x9q
 * }</pre>
 *
 * <h2>Without a usable kernel</h2>
 * Not Linux, or neither root nor passwordless sudo: the test fails with a message that says what is
 * missing. Set {@code netnslab.skipWhenUnavailable}{@code =true} to skip instead.
 *
 * <h2>Configuration</h2>
 * Every {@code netnslab.*} key may be a JUnit configuration parameter ({@code junit-platform.properties}),
 * a system property, an environment variable ({@code NETNSLAB_KEEPONFAILURE}) or a line of
 * {@code ~/.netnslab.properties}, first hit wins in that order. The project's docs/configuration.md lists every key with its default.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NetnsLabExtension.class)
public @interface NetnsLab {

    /** The namespace's name: 1-32 characters of {@code [A-Za-z0-9_.-]}, not {@code host}. */
    String ns() default "netns1";

    /** The namespace's IPv4 address; a prefix may follow, {@code /24} when absent. */
    String ip() default "10.200.1.1";

    /**
     * The host side's address, inside {@link #ip()}'s subnet and different from it. Empty (the
     * default) means the highest usable address of the subnet: {@code 10.200.1.254} for the defaults.
     */
    String hostIp() default "";

    /**
     * A {@link dev.netnslab.LabTopology} class whose {@code define()} describes the lab. The default,
     * {@code LabTopology.class} itself, means none: the single-namespace lab of {@link #ns()},
     * {@link #ip()} and {@link #hostIp()}.
     */
    Class<? extends dev.netnslab.LabTopology> topology() default dev.netnslab.LabTopology.class;

    /**
     * A topology file on the test's class path, resolved against the root of its resources
     * ({@code src/test/resources}): a Kathara lab folder (the one that holds {@code lab.conf}), such as
     * {@code "labs/two-routers"}, or a containerlab file ending in {@code .yml} or {@code .yaml}, such as
     * {@code "labs/lans.clab.yml"}. A course's lab folder becomes a test class with no builder code:
     *
     * <pre>{@code
     * @NetnsLab(file = "labs/two-routers")
     * class TwoRoutersTest {
     *     @Test
     *     void pcsReachEachOther(@Netns("pc1") Namespace pc1) {
     *         assertThat(pc1).canPing("10.0.2.10");
     *     }
     * }
     * }</pre>
     *
     * Empty (the default) means none. With a file, {@code ns}, {@code ip}, {@code hostIp} and
     * {@code topology} stay at their defaults. See {@link dev.netnslab.LabSpec#fromKathara} and
     * {@link dev.netnslab.LabSpec#fromContainerlab}.
     */
    String file() default "";

    /**
     * {@code true}: build the lab once per test run and share it with every test class that asks
     * for the same lab with {@code shared = true}; tear it down when the run ends. {@code false}
     * (the default): one lab for this class or method.
     */
    boolean shared() default false;
}
