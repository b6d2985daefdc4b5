package dev.netnslab.internal.diagnostics;

import dev.netnslab.InterfaceAddress;
import dev.netnslab.Neighbour;
import dev.netnslab.internal.iproute.LinkDetail;
import dev.netnslab.internal.iproute.RouteLookup;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link PathWalk} asks of a lab, namespace by namespace (by logical name). The kernel answers
 * through {@link LabPathView}; tests answer from captured {@code ip -json} output.
 */
interface PathView {

    /** The error a {@link #routeGet} answers with once the walk's time is up. */
    String OUT_OF_TIME = "not read: the walk ran out of time";

    /** Every namespace of the lab, the host side included. */
    List<String> namespaces();

    /**
     * {@code ip route get target [from from] [iif inputDevice]} in {@code ns}: the kernel's decision, or why
     * it has none. {@code from} and {@code inputDevice} may be {@code null}.
     */
    Lookup routeGet(String ns, String target, String from, String inputDevice);

    List<LinkDetail> links(String ns);

    List<InterfaceAddress> addresses(String ns);

    List<Neighbour> neighbours(String ns);

    /** The STP state of each bridge port in {@code ns} ({@code forwarding}, {@code disabled}, ...), by port name. */
    Map<String, String> portStates(String ns);

    /** The namespaces this one knows by id (from its veth peers), mapped to their logical names. */
    Map<Integer, String> peers(String ns);

    /** A sysctl value in {@code ns} (key with {@code /} separators), or {@code null} when it cannot be read. */
    String sysctl(String ns, String key);

    /** The dropping firewall rules of {@code ns} whose counters moved while the probe ran; empty when none or unknown. */
    List<String> firewallDrops(String ns);

    /**
     * The faults the test switched on through the library that act on a packet from namespace
     * {@code from} to namespace {@code to} crossing {@code devices} ({@code ns:iface}), each as a
     * phrase: {@code cut by partition(a, b), active since 19:50:01.123},
     * {@code lab.link("a", "eth0") has loss 30%}. Empty when none.
     */
    default List<String> faults(String from, String to, List<String> devices) {
        return List.of();
    }

    /**
     * How {@code device} of {@code ns} carries packets to another kernel of the lab, as a phrase
     * ({@code through the tunnel to kernel 'remote' (VXLAN VNI 1048577, underlay 10.0.0.1 -> 10.0.0.2)});
     * empty when it is no tunnel between kernels.
     */
    default Optional<String> tunnel(String ns, String device) {
        return Optional.empty();
    }

    /** A route lookup's answer: the route, or the kernel's error text ({@code Network is unreachable}). */
    record Lookup(RouteLookup route, String error) {

        static Lookup of(RouteLookup route) {
            return new Lookup(route, null);
        }

        static Lookup failed(String error) {
            return new Lookup(null, error);
        }
    }
}
