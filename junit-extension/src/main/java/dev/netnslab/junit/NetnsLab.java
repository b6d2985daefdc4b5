package dev.netnslab.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

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
 * The lab is the blog series' Part 1: namespace {@link #ns()} joined by the veth pair
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
 * {@link Netns @Netns}.
 *
 * <h2>Clean up</h2>
 * The lab is closed through the JUnit store when its scope ends: its namespaces, and with them their
 * interfaces, are deleted, and nothing the lab did not create is touched.
 *
 * <h2>Without a usable kernel</h2>
 * Not Linux, or neither root nor passwordless sudo: the test fails with a message that says what is
 * missing. Set {@value #SKIP_WHEN_UNAVAILABLE_KEY}{@code =true} to skip instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NetnsLabExtension.class)
public @interface NetnsLab {

    /** Configuration key that selects the backend: {@code auto} (default) or {@code local}. */
    String BACKEND_KEY = "netnslab.backend";

    /** Configuration key: {@code true} skips tests when no usable kernel is found. Default {@code false}. */
    String SKIP_WHEN_UNAVAILABLE_KEY = "netnslab.skipWhenUnavailable";

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
     * {@code true}: build the lab once per test run and share it with every test class that asks
     * for the same lab with {@code shared = true}; tear it down when the run ends. {@code false}
     * (the default): one lab for this class or method.
     */
    boolean shared() default false;
}
