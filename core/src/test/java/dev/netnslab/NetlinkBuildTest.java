package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.internal.netns.NetlinkBatch;
import dev.netnslab.testing.Kernel;
import dev.netnslab.testing.TestSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Where the JVM may enter the lab's namespaces, their batches are done over netlink on the
 * namespaces' threads instead of by {@code ip} processes: the lab must come out the same.
 */
@Tag("kernel")
@DisplayName("Namespaces configured over netlink")
class NetlinkBuildTest {

    private static final LabSpec SPEC = LabSpec.builder()
            .bridge("host", "br0")
            .address("host", "br0", "10.0.41.1/24")
            .address("host", "br0", "2001:db8:41::1/64")
            .container("srv", "host:br0", "10.0.41.2/24")
            .address("srv", "eth0", "2001:db8:41::2/64")
            .container("cli", "host:br0", "10.0.41.3/24")
            .address("cli", "eth0", "2001:db8:41::3/64")
            .route("cli", "10.9.0.0/16", "10.0.41.2")
            .sysctl("srv", "net.ipv4.ip_forward", "1")
            .sysctl("cli", "net.ipv4.conf.eth0.rp_filter", "2")
            .build();

    /** What a lab's namespaces hold, without what differs from build to build (indexes, MACs, lifetimes). */
    private static List<String> state(Lab lab) {
        List<String> lines = new ArrayList<>();
        for (String ns : List.of("host", "srv", "cli")) {
            Namespace namespace = lab.namespace(ns);
            // A bridge reads UNKNOWN until the link watcher's next regular run, up to a second after
            // the build, whichever way it was built; its flags and ports are what the build set.
            namespace
                    .interfaces()
                    .forEach(i -> lines.add(ns + " link " + i.name() + " "
                            + (i.name().equals("br0") ? "" : i.operState() + " ") + i.flags() + " mtu " + i.mtu()
                            + (i.master() == null ? "" : " master " + i.master())));
            namespace.addresses().stream()
                    .filter(a -> !a.address().startsWith("fe80:"))
                    .forEach(a -> lines.add(ns + " addr " + a));
            namespace.routes().forEach(r -> lines.add(ns + " route " + r));
            lines.add(ns + " ip_forward " + namespace.sysctl("net.ipv4.ip_forward"));
            if (!ns.equals("host")) {
                lines.add(ns + " rp_filter " + namespace.sysctl("net.ipv4.conf.eth0.rp_filter"));
            }
        }
        return lines;
    }

    @Test
    @DisplayName("the same interfaces, addresses, routes and sysctls as ip and sysctl build, and traffic passes")
    void sameAsIp() throws Exception {
        List<String> overNetlink;
        try (Lab lab = Lab.start(SPEC, Kernel.backend(), TestSettings.of())) {
            overNetlink = state(lab);
            assertThat(overNetlink).contains("srv ip_forward 1", "cli rp_filter 2", "host ip_forward 0");
            assertThat(lab.namespace("cli").canCall()).isTrue();
            assertThat(lab.namespace("cli")
                            .exec("ping", "-c", "1", "-W", "2", "10.0.41.2")
                            .isSuccess())
                    .isTrue();
            assertThat(lab.namespace("cli")
                            .exec("ping", "-c", "1", "-W", "2", "2001:db8:41::2")
                            .isSuccess())
                    .isTrue();
        }
        List<String> byIp;
        try (Lab lab = Lab.start(SPEC, Kernel.backend(), TestSettings.of("netnslab.checks", "process"))) {
            byIp = state(lab);
        }
        assertThat(overNetlink).isNotEmpty().containsExactlyInAnyOrderElementsOf(byIp);
    }

    @Test
    @DisplayName("a line the kernel refuses fails as ip -batch fails: the kernel's answer and the line number")
    void failure() throws Exception {
        try (Lab lab = Lab.start(SPEC, Kernel.backend(), TestSettings.of())) {
            Optional<String> error = lab.namespace("cli")
                    .call(() -> NetlinkBatch.parse(List.of("link set dev eth0 up", "addr add 10.0.41.3/24 dev eth0"))
                            .orElseThrow()
                            .run());
            assertThat(error).hasValue("RTNETLINK answers: File exists\nCommand failed -:2\n");
            Optional<String> missing = lab.namespace("cli")
                    .call(() -> NetlinkBatch.parse(List.of("link set dev nosuch up"))
                            .orElseThrow()
                            .run());
            assertThat(missing).hasValue("RTNETLINK answers: No such device\nCommand failed -:1\n");
        }
    }
}
