package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.diagnostics.LabReport;
import dev.netnslab.internal.diagram.LabDiagram;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.engine.LabEngine;
import dev.netnslab.testing.BridgeLabs;
import dev.netnslab.testing.Kernel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Faults on a running lab, on the real kernel: three namespaces on one bridge. */
@Tag("kernel")
@DisplayName("Faults while the lab runs: lab.link and lab.partition")
class LinkAndPartitionTest {

    private static Lab lab;

    @BeforeAll
    static void start() {
        lab = Lab.start(BridgeLabs.onOneBridge("10.0.7", "a", "b", "c").build(), Kernel.backend());
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    private static Namespace ns(String name) {
        return lab.namespace(name);
    }

    private static String nftTables(String name) {
        return ns(name).exec("nft", "list", "tables").stdout();
    }

    @Nested
    @DisplayName("lab.link")
    class Links {

        @Test
        @DisplayName(
                "down cuts the namespace off, up brings it back, and the report and diagram show it while it lasts")
        void downAndUp() {
            Link link = lab.link("a", "eth0");
            assertThat(lab.link("a", "eth0")).isSameAs(link);
            link.down();
            try {
                assertThat(ns("a")).cannotPing("10.0.7.2");
                assertThat(ns("a").interfaces())
                        .filteredOn(i -> i.name().equals("eth0"))
                        .allMatch(i -> !i.isUp());
                assertThat(LabReport.capture(ApiBridge.engine(lab)).text())
                        .contains("active faults")
                        .contains("a: eth0 down");
                assertThat(diagram(lab).mermaid()).contains("fault: eth0 down");
            } finally {
                link.up();
            }
            assertThat(ns("a")).canPing("10.0.7.2");
            assertThat(LabReport.capture(ApiBridge.engine(lab)).text()).doesNotContain("active faults");
        }

        @Test
        @DisplayName("loss(100) drops everything, loss(0) and clear remove exactly the table they added")
        void loss() {
            String before = nftTables("b");
            Link link = lab.link("b", "eth0");
            link.loss(100);
            assertThat(nftTables("b")).contains("netnslab_loss_");
            assertThat(ns("b")).cannotPing("10.0.7.3");
            link.loss(0);
            assertThat(ns("b")).canPing("10.0.7.3");
            link.loss(30).clear();
            assertThat(nftTables("b")).isEqualTo(before);
            assertThat(link.toString()).isEqualTo("link b:eth0");
        }

        @Test
        @DisplayName("rate and mtu take effect and clear restores what the lab built")
        void rateAndMtu() {
            Link link = lab.link("c", "eth0").rate("1mbit").mtu(1280);
            assertThat(ns("c").exec("tc", "qdisc", "show", "dev", "eth0").stdout())
                    .contains("tbf")
                    .contains("rate 1Mbit");
            assertThat(ns("c").interfaces())
                    .filteredOn(i -> i.name().equals("eth0"))
                    .extracting(NetInterface::mtu)
                    .containsExactly(1280);
            assertThat(diagram(lab).mermaid()).contains("fault: eth0 rate 1mbit, mtu 1280");
            assertThat(ns("c")).canPing("10.0.7.1");
            link.clear();
            assertThat(ns("c").exec("tc", "qdisc", "show", "dev", "eth0").stdout())
                    .doesNotContain("tbf");
            assertThat(ns("c").interfaces())
                    .filteredOn(i -> i.name().equals("eth0"))
                    .extracting(NetInterface::mtu)
                    .containsExactly(1500);
        }

        @Test
        @DisplayName("bad arguments are refused before anything changes, saying what is allowed")
        void refused() {
            Link link = lab.link("a", "eth0");
            assertThatThrownBy(() -> link.loss(150))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "lab.link(\"a\", \"eth0\").loss(150.0) is refused: loss is a percentage, 0-100 (0 removes the loss);"
                                    + " pass e.g. loss(30). Nothing was changed.");
            assertThatThrownBy(() -> link.rate("10mbps"))
                    .hasMessageContaining(".rate(\"10mbps\") is refused: a rate is a whole number");
            assertThatThrownBy(() -> link.mtu(20))
                    .hasMessageContaining(".mtu(20) is refused: an IPv4 interface's MTU must be 68-65535");
            assertThatThrownBy(() -> lab.link("a", "eth9"))
                    .hasMessageContaining("namespace a has no interface 'eth9'; it has [lo, eth0]");
            assertThatThrownBy(() -> lab.link("z", "eth0")).hasMessageContaining("has no namespace 'z'");
            assertThat(link.toString()).isEqualTo("link a:eth0");
            assertThat(nftTables("a")).doesNotContain("netnslab_");
        }
    }

    @Nested
    @DisplayName("lab.partition")
    class Partitions {

        @Test
        @DisplayName("cuts two namespaces apart both ways, leaves the third alone, and heals on close")
        void partitionAndHeal() {
            try (Partition split = lab.partition("a", "b")) {
                assertThat(split.isActive()).isTrue();
                assertThat(ns("a")).cannotPing("10.0.7.2");
                assertThat(ns("b")).cannotPing("10.0.7.1");
                assertThat(ns("a")).canPing("10.0.7.3");
                assertThat(ns("b")).canPing("10.0.7.3");
                assertThat(nftTables("c")).doesNotContain("netnslab_");
                assertThat(nftTables("host")).doesNotContain("netnslab_");
                assertThat(LabReport.capture(ApiBridge.engine(lab)).text())
                        .contains("a: cut off from b")
                        .contains("b: cut off from a");
                assertThat(diagram(lab).mermaid()).contains("fault: cut off from b");
            }
            assertThat(ns("a")).canPing("10.0.7.2");
            assertThat(ns("b")).canPing("10.0.7.1");
            assertThat(nftTables("a")).doesNotContain("netnslab_");
            assertThat(nftTables("b")).doesNotContain("netnslab_");
        }

        @Test
        @DisplayName("an open TCP connection stops carrying data")
        void cutsOpenConnections() throws Exception {
            try (java.net.ServerSocket server = ns("b").call(() ->
                            new java.net.ServerSocket(7020, 5, java.net.InetAddress.getByName("10.0.7.2")));
                    java.net.Socket client = ns("a").call(() -> new java.net.Socket("10.0.7.2", 7020));
                    java.net.Socket accepted = server.accept()) {
                client.getOutputStream().write(1);
                assertThat(accepted.getInputStream().read()).isEqualTo(1);
                try (Partition ignored = lab.partition("a", "b")) {
                    client.getOutputStream().write(2);
                    accepted.setSoTimeout(300);
                    assertThatThrownBy(() -> accepted.getInputStream().read())
                            .isInstanceOf(java.net.SocketTimeoutException.class);
                }
                accepted.setSoTimeout(3000);
                assertThat(accepted.getInputStream().read())
                        .as("retransmitted after healing")
                        .isEqualTo(2);
            }
        }

        @Test
        @DisplayName("a namespace cannot be partitioned from itself")
        void refused() {
            assertThatThrownBy(() -> lab.partition("a", "a"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("namespace a is on both sides");
        }
    }

    @Test
    @DisplayName("up puts back the default route and the IPv6 address that down made the kernel drop")
    void upRestoresRoutes() {
        try (Lab own = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), Kernel.backend())) {
            Namespace netns1 = own.namespace("netns1");
            ExecResult v6 = netns1.exec("ip", "-6", "address", "add", "fd00:11::1/64", "dev", "veth2", "nodad");
            assertThat(v6.isSuccess()).as(v6.describe()).isTrue();
            assertThat(netns1).hasRoute("default");
            own.link("netns1", "veth2").down();
            assertThat(netns1).hasNoRoute("default").hasNoAddress("fd00:11::1");
            own.link("netns1", "veth2").up();
            assertThat(netns1).hasRoute("default").hasAddress("fd00:11::1/64").canPing("10.200.1.254");
        }
    }

    @Test
    @DisplayName("closing the lab undoes every fault with its namespaces")
    void closeUndoes() {
        Lab own = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), Kernel.backend());
        own.link("netns1", "veth2").down();
        own.partition("host", "netns1");
        own.close();
        assertThat(Kernel.namespacesOf(java.util.List.of(own.id()))).isEmpty();
        assertThat(Kernel.runOk("nft", "list", "tables")).doesNotContain("netnslab_partition");
    }

    private static LabDiagram diagram(Lab lab) {
        LabEngine engine = ApiBridge.engine(lab);
        return LabDiagram.of(engine.topology(), engine.faults().notes());
    }
}
