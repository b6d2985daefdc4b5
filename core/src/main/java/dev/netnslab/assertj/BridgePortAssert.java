package dev.netnslab.assertj;

import dev.netnslab.BridgePort;
import java.util.Objects;
import org.assertj.core.api.AbstractObjectAssert;

/**
 * Assertions on one bridge port of a namespace and its flags, reached through
 * {@code assertThat(ns).bridgePort(name)}.
 *
 * <pre>{@code
 * assertThat(node).bridgePort("veth1a2b").hasBridge("cni0").isHairpin().isNotIsolated();
 * }</pre>
 */
public class BridgePortAssert extends AbstractObjectAssert<BridgePortAssert, BridgePort> {

    private final String namespace;

    BridgePortAssert(BridgePort actual, String namespace) {
        super(actual, BridgePortAssert.class);
        this.namespace = namespace;
    }

    /** Verifies the bridge the port belongs to. */
    public BridgePortAssert hasBridge(String bridge) {
        isNotNull();
        if (!Objects.equals(bridge, actual.bridge())) {
            fail("to be a port of <" + bridge + ">");
        }
        return myself;
    }

    /** Verifies the STP state, e.g. {@code forwarding}. */
    public BridgePortAssert hasState(String state) {
        isNotNull();
        if (!Objects.equals(state, actual.state())) {
            fail("to be in state <" + state + ">");
        }
        return myself;
    }

    /** Verifies that hairpin mode is on: frames may leave through the port they came in on. */
    public BridgePortAssert isHairpin() {
        return flag("hairpin", actual.hairpin(), true);
    }

    /** Verifies that hairpin mode is off. */
    public BridgePortAssert isNotHairpin() {
        return flag("hairpin", actual.hairpin(), false);
    }

    /** Verifies that the port is isolated. */
    public BridgePortAssert isIsolated() {
        return flag("isolated", actual.isolated(), true);
    }

    /** Verifies that the port is not isolated. */
    public BridgePortAssert isNotIsolated() {
        return flag("isolated", actual.isolated(), false);
    }

    /** Verifies that the bridge learns source MACs on the port. */
    public BridgePortAssert isLearning() {
        return flag("learning", actual.learning(), true);
    }

    /** Verifies that the bridge does not learn on the port. */
    public BridgePortAssert isNotLearning() {
        return flag("learning", actual.learning(), false);
    }

    private BridgePortAssert flag(String name, boolean value, boolean expected) {
        isNotNull();
        if (value != expected) {
            fail("to have " + name + " " + (expected ? "on" : "off"));
        }
        return myself;
    }

    private void fail(String expectation) {
        failWithMessage(
                "%s",
                "Expecting bridge port <" + actual.name() + "> of namespace <" + namespace + "> " + expectation
                        + " but it is: " + actual);
    }
}
