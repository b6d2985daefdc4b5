package dev.netnslab.assertj;

import dev.netnslab.NetInterface;
import java.util.Objects;
import org.assertj.core.api.AbstractObjectAssert;

/**
 * Assertions on one interface of a namespace, reached through {@code assertThat(ns).link(name)}.
 *
 * <pre>{@code
 * assertThat(node).link("flannel.1").hasMac("02:42:ac:11:00:02").hasMtu(1450).isUp();
 * }</pre>
 */
public class LinkAssert extends AbstractObjectAssert<LinkAssert, NetInterface> {

    private final String namespace;

    LinkAssert(NetInterface actual, String namespace) {
        super(actual, LinkAssert.class);
        this.namespace = namespace;
    }

    /** Verifies the link-layer address; case does not matter. */
    public LinkAssert hasMac(String mac) {
        isNotNull();
        if (mac == null || !mac.equalsIgnoreCase(actual.mac())) {
            fail("MAC <" + mac + ">", "<" + actual.mac() + ">");
        }
        return myself;
    }

    /** Verifies the MTU. */
    public LinkAssert hasMtu(int mtu) {
        isNotNull();
        if (actual.mtu() != mtu) {
            fail("MTU <" + mtu + ">", "<" + actual.mtu() + ">");
        }
        return myself;
    }

    /** Verifies that the link is administratively up (the {@code UP} flag), whatever its carrier. */
    public LinkAssert isUp() {
        isNotNull();
        if (!actual.isUp()) {
            fail("the UP flag", "flags " + actual.flags());
        }
        return myself;
    }

    /** Verifies that the link is administratively down. */
    public LinkAssert isDown() {
        isNotNull();
        if (actual.isUp()) {
            fail("no UP flag", "flags " + actual.flags());
        }
        return myself;
    }

    /** Verifies the operational state: {@code UP}, {@code DOWN}, {@code LOWERLAYERDOWN}, {@code UNKNOWN}, ... */
    public LinkAssert hasOperState(String state) {
        isNotNull();
        if (!Objects.equals(state, actual.operState())) {
            fail("operational state <" + state + ">", "<" + actual.operState() + ">");
        }
        return myself;
    }

    /** Verifies that the link is a port of {@code bridge}. */
    public LinkAssert hasMaster(String bridge) {
        isNotNull();
        if (!Objects.equals(bridge, actual.master())) {
            fail("master <" + bridge + ">", actual.master() == null ? "none" : "<" + actual.master() + ">");
        }
        return myself;
    }

    private void fail(String expected, String found) {
        failWithMessage(
                "%s",
                "Expecting link <" + actual.name() + "> of namespace <" + namespace + "> to have " + expected
                        + " but it has " + found + ": " + actual);
    }
}
