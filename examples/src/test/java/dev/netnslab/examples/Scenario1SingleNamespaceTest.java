package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.junit.NetnsLab;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Part 1 of the series: one namespace plugged into the host with a veth pair. Each test is one
 * check that a hand-written test script for this lab makes (the namespace exists, each end of the
 * cable is where it belongs, the pings pass both ways, the routes inside), and {@link BrokenLink}
 * breaks the cable and expects the pings to fail.
 */
@Tag("kernel")
@DisplayName("Scenario 1: a single namespace on a veth pair")
@NetnsLab(ns = "netns1", ip = "10.200.1.1")
class Scenario1SingleNamespaceTest {

    @Test
    @DisplayName("the namespace exists")
    void namespaceExists(Lab lab, Namespace ns) {
        assertThat(ns.name()).isEqualTo("netns1");
        assertThat(lab.host().exec("ip", "netns", "list").stdout()).contains(ns.systemName());
    }

    @Test
    @DisplayName("veth2 is in the namespace")
    void interfaceInNamespace(Namespace ns) {
        assertThat(ns).hasInterface("veth2").hasNoInterface("veth1").hasAddress("10.200.1.1/24");
    }

    @Test
    @DisplayName("veth1 is on the host")
    void interfaceOnHost(Lab lab) {
        assertThat(lab.host()).hasInterface("veth1").hasAddress("10.200.1.254/24");
    }

    @Test
    @DisplayName("the host has a route to the namespace's address")
    void hostRouteToNamespace(Lab lab) {
        assertThat(lab.host()).hasRoute("10.200.1.0/24");
        assertThat(lab.host().exec("ip", "route", "get", "10.200.1.1").stdout()).contains("dev veth1");
    }

    @Test
    @DisplayName("ping from the host to the namespace")
    void pingHostToNamespace(Lab lab) {
        assertThat(lab.host()).canPing("10.200.1.1");
    }

    @Test
    @DisplayName("ping from the namespace to the host's address (not its own)")
    void pingNamespaceToHost(Lab lab, Namespace ns) {
        assertThat(lab.host().address()).isEqualTo("10.200.1.254");
        assertThat(ns).canPing(lab.host().address());
    }

    @Test
    @DisplayName("routes inside the namespace: default via the host")
    void routesInsideNamespace(Namespace ns) {
        assertThat(ns).hasRoute("default").hasRoute("10.200.1.0/24");
        assertThat(ns.exec("ip", "route").stdout()).contains("default via 10.200.1.254 dev veth2");
    }

    @Nested
    @DisplayName("with the cable pulled")
    class BrokenLink {

        @Test
        @NetnsLab(ns = "netns1", ip = "10.200.1.1")
        @DisplayName("pings fail both ways, and canPing says why")
        void pingsFail(Lab lab, Namespace ns) {
            assertThat(ns.exec("ip", "link", "set", "veth2", "down").isSuccess())
                    .isTrue();

            assertThat(lab.host()).cannotPing("10.200.1.1");
            assertThat(ns).cannotPing(lab.host().address());
            assertThatThrownBy(() -> assertThat(lab.host()).canPing("10.200.1.1"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to reach <10.200.1.1>")
                    .hasMessageContaining("ping")
                    .hasMessageContaining("10.200.1.254/24");
        }
    }
}
