package dev.netnslab.examples;

import dev.netnslab.Namespace;
import org.junit.jupiter.api.Assumptions;

/**
 * Java code under test runs in the test's JVM, so it can enter a lab only when the lab is on this
 * JVM's kernel (the local backend, as root). CI also runs the examples over the ssh backend; there
 * {@link Namespace#call} says why it cannot, and these examples are skipped with that reason
 * instead of failing.
 */
final class ThisKernel {

    private ThisKernel() {}

    static void assumeJavaCanEnter(Namespace ns) throws Exception {
        try {
            ns.call(() -> null);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort(e.getMessage());
        }
    }
}
