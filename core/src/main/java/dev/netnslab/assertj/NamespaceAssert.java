package dev.netnslab.assertj;

import dev.netnslab.Namespace;

/**
 * Assertions on a {@link Namespace}, from {@link NetnsAssertions#assertThat(Namespace)}. Every check
 * is documented on {@link AbstractNamespaceAssert}, which is the class to extend for checks of your own.
 *
 * <pre>{@code
 * assertThat(lab.host()).canPing("10.200.1.1");
 * assertThat(ns).hasInterface("veth2").hasAddress("10.200.1.1/24").hasRoute("default");
 * }</pre>
 */
public class NamespaceAssert extends AbstractNamespaceAssert<NamespaceAssert> {

    /** @param actual the namespace to check */
    public NamespaceAssert(Namespace actual) {
        super(actual, NamespaceAssert.class);
    }
}
