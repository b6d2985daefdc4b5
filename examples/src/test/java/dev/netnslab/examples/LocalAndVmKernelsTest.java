package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.ExecResult;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.backend.Backend;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One lab over two real kernels: this machine's and a qemu VM's (Debian 12's own kernel). The VM is
 * on qemu's user-mode network, reached through ports forwarded from this machine's loopback, so the
 * tunnel between the kernels goes the same way: this machine sends to the UDP port qemu forwards to
 * the guest's tunnel port, and the guest sends to this machine's loopback at its network's gateway.
 * No setting is needed. The vm profile runs this class (the default suite has no VM); it needs root
 * and Linux 6.5 or later here, to send a tunnel's packets to a port of this machine's own loopback.
 */
@Tag("kernel")
@DisplayName("Two real kernels: a namespace on this machine, one in a qemu VM, joined by a veth")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalAndVmKernelsTest {

    private static final Pattern RTT = Pattern.compile("rtt min/avg/max/mdev = ([0-9.]+)/");

    private Backend here;
    private Backend vm;
    private Lab lab;
    private List<String> systemNames;
    private String vmLinksBefore;
    private List<String> vmNamespacesBefore;

    static LabSpec acrossKernels() {
        return LabSpec.builder()
                .namespace("local")
                .namespace("guest")
                .veth("local:eth0", "guest:eth0")
                .address("local", "eth0", "10.62.0.1/24")
                .address("guest", "eth0", "10.62.0.2/24")
                .on("here", "local")
                .build();
    }

    @BeforeAll
    void start() {
        // The default kernel is the vm profile's qemu VM; this machine's kernel is the one called "here".
        vm = Backend.open("qemu");
        here = Backend.open("local");
        vmLinksBefore = rootLinks(vm);
        vmNamespacesBefore = namespaces(vm);
        lab = Lab.start(acrossKernels(), Map.of("default", vm, "here", here));
        // Each kernel's part has a host sandbox of its own: this machine's is host-<the part's id>.
        String localPart = lab.namespace("local").systemName().substring("local-".length());
        systemNames = Stream.concat(
                        lab.namespaces().stream().map(Namespace::systemName), Stream.of("host-" + localPart))
                .toList();
    }

    @AfterAll
    void stop() {
        try {
            if (lab != null) {
                lab.close();
                assertThat(namespaces(here)).as("this machine's namespaces").doesNotContainAnyElementsOf(systemNames);
                // The VM is this test run's alone: all of it is as before. This machine is shared: only the lab's
                // names.
                assertThat(namespaces(vm)).as("the VM's namespaces").isEqualTo(vmNamespacesBefore);
                assertThat(rootLinks(vm))
                        .as("the VM's own links, VXLAN devices included")
                        .isEqualTo(vmLinksBefore);
            }
        } finally {
            if (here != null) {
                here.close();
            }
            if (vm != null) {
                vm.close();
            }
        }
    }

    private static List<String> namespaces(Backend kernel) {
        ExecResult result = kernel.run(List.of("ip", "netns", "list"), null, Duration.ofSeconds(30));
        assertThat(result.isSuccess()).as("ip netns list: %s", result.stderr()).isTrue();
        return Arrays.stream(result.stdout().split("\n"))
                .map(line -> line.split(" ")[0])
                .filter(name -> !name.isBlank())
                .toList();
    }

    /** The VM's root-namespace links by name and kind, without counters. */
    private static String rootLinks(Backend kernel) {
        ExecResult result = kernel.run(List.of("ip", "-o", "-d", "link", "show"), null, Duration.ofSeconds(30));
        assertThat(result.isSuccess()).as("ip link: %s", result.stderr()).isTrue();
        return result.stdout()
                .lines()
                .map(line -> line.split(" ")[1])
                .sorted()
                .toList()
                .toString();
    }

    private static double shortestRoundTrip(ExecResult ping) {
        Matcher m = RTT.matcher(ping.stdout());
        assertThat(m.find()).as("ping's summary in %s", ping.stdout()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    @DisplayName("one namespace runs on this machine's kernel, the other on the VM's")
    void placement() {
        assertThat(lab.namespace("local").kernel()).isEqualTo("here");
        assertThat(lab.namespace("guest").kernel()).isEqualTo("default");
        assertThat(lab.namespace("guest").exec("uname", "-r").stdout())
                .isNotEqualTo(lab.namespace("local").exec("uname", "-r").stdout());
    }

    @Test
    @DisplayName("each end reaches the other across the kernels, and a full-size packet fits the tunnel")
    void pingAcross() {
        assertThat(lab.namespace("local")).canPing("10.62.0.2");
        assertThat(lab.namespace("guest")).canPing("10.62.0.1");
        // 1450-byte MTU: 1422 bytes of ICMP payload, 28 of headers, and the packet may not be fragmented.
        assertThat(lab.namespace("local").exec("ping", "-c", "1", "-W", "2", "-M", "do", "-s", "1422", "10.62.0.2"))
                .succeeded();
    }

    @Test
    @DisplayName("twin: with the VM's end down, neither end reaches the other; up again, both do")
    void twinLinkDown() {
        lab.link("guest", "eth0").down();
        try {
            assertThat(lab.namespace("local")).cannotPing("10.62.0.2");
            assertThatThrownBy(() -> assertThat(lab.namespace("guest")).canPing("10.62.0.1"))
                    .isInstanceOf(AssertionError.class);
        } finally {
            lab.link("guest", "eth0").up();
        }
        assertThat(lab.namespace("local")).canPing("10.62.0.2");
    }

    @Test
    @DisplayName("netem, which only the VM's kernel has, delays the VM's end by 100 ms; clear() takes it away")
    void delayOnTheVmSide() {
        String[] ping = {"ping", "-n", "-c", "4", "-i", "0.2", "-W", "2", "10.62.0.2"};
        lab.link("guest", "eth0").delay(Duration.ofMillis(100));
        try {
            assertThat(shortestRoundTrip(lab.namespace("local").exec(ping)))
                    .as("the shortest round trip with 100 ms delay on the VM's end")
                    .isGreaterThanOrEqualTo(95);
        } finally {
            lab.link("guest", "eth0").clear();
        }
        assertThat(shortestRoundTrip(lab.namespace("local").exec(ping)))
                .as("the shortest round trip after clear()")
                .isLessThan(95);
    }
}
