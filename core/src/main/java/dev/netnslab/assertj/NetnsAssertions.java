package dev.netnslab.assertj;

import dev.netnslab.ExecResult;
import dev.netnslab.Namespace;

/**
 * Entry point for netns-lab's AssertJ assertions.
 *
 * <pre>{@code
 * import static dev.netnslab.assertj.NetnsAssertions.assertThat;
 *
 * assertThat(lab.host()).canPing("10.200.1.1");
 * assertThat(ns).hasInterface("veth2").hasRoute("default");
 * assertThat(ns.exec("ip", "route")).succeeded();
 * }</pre>
 *
 * Static-import it next to AssertJ's {@code Assertions.assertThat}: the overloads do not clash.
 */
public final class NetnsAssertions {

    private NetnsAssertions() {}

    /** Assertions on a namespace's reachability and state. */
    public static NamespaceAssert assertThat(Namespace actual) {
        return new NamespaceAssert(actual);
    }

    /** Assertions on the result of a command. */
    public static ExecResultAssert assertThat(ExecResult actual) {
        return new ExecResultAssert(actual);
    }
}
