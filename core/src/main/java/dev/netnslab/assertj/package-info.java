/**
 * AssertJ assertions on namespaces and command results. Static-import
 * {@link dev.netnslab.assertj.NetnsAssertions#assertThat(dev.netnslab.Namespace)}.
 */
package dev.netnslab.assertj;
