package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.junit.Netns;
import dev.netnslab.junit.NetnsLab;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A Kathara lab run as it is, from {@code src/test/resources/labs/kathara/two-routers}: two pcs on
 * LAN A behind r1, two on LAN B behind r2, the routers joined by a point-to-point link, every
 * address and route set by the devices' {@code .startup} files. No builder code: the lab folder is
 * the test's fixture.
 */
@Tag("kernel")
@DisplayName("A Kathara lab: two routers with pcs on both sides")
@NetnsLab(file = "labs/kathara/two-routers")
class KatharaTwoRoutersTest {

    /** Every device and the address its startup gives it. */
    static final Map<String, String> ADDRESSES = Map.of(
            "pc1", "10.1.1.11",
            "pc2", "10.1.1.12",
            "r1", "10.1.1.1",
            "r2", "10.2.2.1",
            "pc3", "10.2.2.13",
            "pc4", "10.2.2.14");

    @Test
    @DisplayName("every device pings every other one, across both routers")
    void everyPairPings(Lab lab) {
        for (String from : ADDRESSES.keySet()) {
            for (String to : ADDRESSES.keySet()) {
                if (!from.equals(to)) {
                    assertThat(lab.namespace(from)).canPing(ADDRESSES.get(to));
                }
            }
        }
    }

    @Test
    @DisplayName("interfaces keep Kathara's names and the MAC lab.conf gives")
    void interfacesAsLabConfSaysThem(@Netns("pc1") Namespace pc1, @Netns("r1") Namespace r1) {
        assertThat(pc1).hasInterface("eth0").hasAddress("10.1.1.11/24");
        assertThat(pc1.exec("ip", "-br", "link", "show", "eth0").stdout()).contains("02:00:00:00:0a:01");
        assertThat(r1).hasInterface("eth0").hasInterface("eth1").hasRoute("10.2.2.0/24");
    }

    @Test
    @DisplayName("each device has Kathara's defaults: forwarding on, rp_filter off, IPv6 off")
    void katharaDefaults(@Netns("pc3") Namespace pc3) {
        assertThat(pc3.exec("sysctl", "-n", "net.ipv4.ip_forward").stdout().strip())
                .isEqualTo("1");
        assertThat(pc3.exec("sysctl", "-n", "net.ipv4.conf.eth0.rp_filter")
                        .stdout()
                        .strip())
                .isEqualTo("0");
        assertThat(pc3.exec("sysctl", "-n", "net.ipv6.conf.eth0.disable_ipv6")
                        .stdout()
                        .strip())
                .isEqualTo("1");
    }

    /** The twin: r1's core link goes down, and nothing crosses between the LANs any more. */
    @Nested
    @DisplayName("with the core link down")
    class CoreLinkDown {

        @Test
        @DisplayName("no pc of LAN A reaches a pc of LAN B, while each LAN still works")
        void lansAreCutApart(Lab lab) {
            lab.link("r1", "eth1").down();
            try {
                for (String a : List.of("pc1", "pc2")) {
                    for (String b : List.of("10.2.2.13", "10.2.2.14")) {
                        assertThat(lab.namespace(a)).cannotPing(b);
                    }
                    assertThatThrownBy(() -> assertThat(lab.namespace(a)).canPing("10.2.2.13"))
                            .isInstanceOf(AssertionError.class);
                }
                assertThat(lab.namespace("pc1")).canPing("10.1.1.12");
                assertThat(lab.namespace("pc3")).canPing("10.2.2.14");
            } finally {
                lab.link("r1", "eth1").up();
            }
        }
    }

    /** The twin as a file: the same lab, with r2's route back to LAN A left out of r2.startup. */
    @Nested
    @DisplayName("with r2's route back missing")
    @NetnsLab(file = "labs/kathara/two-routers-no-return")
    class NoRouteBack {

        @Test
        @DisplayName("no pc of LAN A reaches LAN B, while r1 (known to r2 through the core link) still does")
        void noWayBack(@Netns("pc1") Namespace pc1, @Netns("r1") Namespace r1, @Netns("pc3") Namespace pc3) {
            assertThat(pc1).cannotPing("10.2.2.13").cannotPing("10.0.0.2").canPing("10.1.1.1");
            assertThat(r1).canPing("10.2.2.13");
            assertThat(pc3).cannotPing("10.1.1.11").canPing("10.0.0.1").canPing("10.2.2.14");
        }
    }
}
