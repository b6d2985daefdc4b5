package dev.netnslab;

import dev.netnslab.internal.files.ContainerlabFile;
import dev.netnslab.internal.files.KatharaLab;
import dev.netnslab.internal.topology.Names;
import dev.netnslab.internal.topology.NodeShorthands;
import dev.netnslab.internal.topology.Placement;
import dev.netnslab.internal.topology.Topology;
import java.nio.file.Path;
import java.util.List;

/**
 * What a lab contains: namespaces, links, devices, addresses, routes and settings. A spec is immutable and
 * validated when it is built, so an invalid one never reaches the kernel.
 *
 * <p>Every lab has a namespace called {@value Names#HOST} that plays the host (the VM in a
 * hand-built lab). It is a sandbox of the lab's own, so a lab never changes the machine's real routing.
 *
 * <pre>{@code
 * LabSpec seed = LabSpec.singleNamespace("netns1", "10.200.1.1", null);   // one namespace on a veth pair
 *
 * LabSpec custom = LabSpec.builder()
 *         .namespace("netns1")
 *         .veth("host:veth1", "netns1:veth2")                            // endpoints are written ns:iface
 *         .address("host", "veth1", "10.200.1.254/24")
 *         .address("netns1", "veth2", "10.200.1.1/24")
 *         .route("netns1", "default", "10.200.1.254")
 *         .build();
 *
 * LabSpec twoNodes = LabSpec.builder()                               // two VMs with containers
 *         .node("node1", "10.0.0.10/24", "172.16.0.1/24")
 *         .node("node2", "10.0.0.20/24", "172.16.1.1/24")
 *         .container("c1", "node1", "172.16.0.2/24")
 *         .container("c2", "node2", "172.16.1.2/24")
 *         .route("node1", "172.16.1.0/24", "10.0.0.20")
 *         .route("node2", "172.16.0.0/24", "10.0.0.10")
 *         .build();
 *
 * LabSpec calicoPod = LabSpec.builder()                              // a /32 pod behind proxy ARP
 *         .namespace("node").namespace("pod")
 *         .veth("node:cali1", "pod:eth0")
 *         .proxyArp("node", "cali1", true)
 *         .route("node:cali1", "10.65.0.2")                              // a device route: dev cali1 scope link
 *         .address("pod", "eth0", "10.65.0.2/32")
 *         .route("pod:eth0", "169.254.1.1")
 *         .route("pod:eth0", "default", "169.254.1.1")
 *         .build();
 * }</pre>
 *
 * <p>Beyond namespaces, veths, addresses (IPv4 and IPv6) and routes (with {@link RouteOptions},
 * blackholes and policy rules), a spec holds bridges and their ports, VXLAN devices
 * ({@link VxlanOptions}), macvlan, ipvlan, VLAN and VRF devices, MACs, permanent neighbour and FDB
 * entries, per-namespace sysctls, iptables rules and nft scripts, and per-interface MTU, rate (tbf),
 * random loss (iptables' statistic match) and delay (netem, where the kernel has it). Validation
 * refuses only what the kernel would refuse or what can never work, and reports every problem of a
 * spec at once. {@code docs/topology.md} lists every builder method and what validation checks.
 */
public final class LabSpec {

    /** The host-side end of the single-namespace lab's veth pair. */
    public static final String HOST_VETH = NodeShorthands.HOST_VETH;
    /** The namespace-side end of the single-namespace lab's veth pair. */
    public static final String NAMESPACE_VETH = NodeShorthands.NAMESPACE_VETH;
    /** The bridge in {@code host} that joins the {@code eth0} of every {@linkplain Builder#node node}: the lab's underlay switch. */
    public static final String UNDERLAY_BRIDGE = NodeShorthands.UNDERLAY_BRIDGE;
    /** The bridge a {@linkplain Builder#node(String, String, String) node} gets for its containers. */
    public static final String NODE_BRIDGE = NodeShorthands.NODE_BRIDGE;

    private final Topology topology;
    private final Placement placement;

    /** A spec of {@code topology}, which the builder has validated, every namespace on the default kernel. */
    LabSpec(Topology topology) {
        this(topology, Placement.NONE);
    }

    /** A spec of {@code topology} with its namespaces placed on kernels, both validated by the builder. */
    LabSpec(Topology topology, Placement placement) {
        this.topology = topology;
        this.placement = placement;
    }

    /**
     * The single-namespace lab: namespace {@code ns} joined to the host by {@code veth1}/{@code veth2},
     * {@code ip} on {@code veth2}, {@code hostIp} on {@code veth1}, {@code lo} up, and a default route
     * in the namespace via the host address.
     *
     * @param ns     the namespace's name, e.g. {@code netns1}
     * @param ip     the namespace's address; a prefix may follow ({@code /24} when absent)
     * @param hostIp the host's address in the same subnet, or {@code null}/empty for the highest usable
     *               address of the subnet ({@code 10.200.1.254} for {@code 10.200.1.1/24})
     * @throws InvalidLabSpecException naming the attribute, the value and the rule (every bad one), before
     *                                 anything is created
     */
    public static LabSpec singleNamespace(String ns, String ip, String hostIp) {
        return builder().singleNamespace(ns, ip, hostIp).build();
    }

    /**
     * The Kathara lab in {@code labDirectory}, the folder that holds its {@code lab.conf}: each device a
     * namespace with Kathara's defaults for a device (IPv4 forwarding on, {@code rp_filter} off, no ICMP
     * rate limit, IPv6 off unless {@code device[ipv6]="true"}), set before any of its interfaces exists;
     * each collision domain a veth pair (two members) or a bridge in the host side that floods like
     * Kathara's; {@code device[N]="domain/mac"} interface {@code ethN} with that MAC. Once the lab is built,
     * {@code shared.startup}, {@code DEVICE.startup} and {@code device[exec]} run in the device's namespace
     * as bash scripts, stopping at the first line that fails. {@code docs/topology-files.md} says what is
     * supported and what is not.
     *
     * @throws InvalidLabSpecException naming the file, the line and what was expected, for every malformed
     *                                 line of the lab, before anything is created
     * @throws java.io.UncheckedIOException when a file of the lab cannot be read
     */
    public static LabSpec fromKathara(Path labDirectory) {
        return new LabSpec(KatharaLab.read(labDirectory).build());
    }

    /**
     * The containerlab topology in {@code topologyFile} (a {@code .clab.yml}): {@code kind: linux} nodes
     * become namespaces ({@code defaults}, {@code kinds} and {@code groups} inherited), {@code kind: bridge}
     * nodes bridges in the lab's host side, {@code links} veth pairs whose ends have exactly the names their
     * endpoints give ({@code "r1:eth1"}); once the links are up each node's {@code exec} commands run in its
     * namespace, in order. Nodes of other kinds are refused; there is no management network unless the file
     * asks for one ({@code mgmt: ipv4-subnet}). {@code docs/topology-files.md} says what is supported.
     *
     * @throws InvalidLabSpecException naming the file, the line and what was expected, for every malformed
     *                                 node, before anything is created
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static LabSpec fromContainerlab(Path topologyFile) {
        return new LabSpec(ContainerlabFile.read(topologyFile).build());
    }

    /** Starts an empty spec; the {@code host} namespace is always there. */
    public static Builder builder() {
        return new Builder();
    }

    /** The validated topology, for the engine; internal packages reach it through {@code ApiBridge}. */
    Topology topology() {
        return topology;
    }

    /** Which kernel each namespace runs on, for the engine. */
    Placement placement() {
        return placement;
    }

    /**
     * The kernel {@code namespace} runs on: the name given to {@link Builder#on(String, String...) on(...)},
     * or {@code default} for the lab's default kernel (also for {@code host} and for names the spec does not have).
     */
    public String kernelOf(String namespace) {
        return placement.kernelOf(namespace);
    }

    /** The kernels the spec uses by name: {@code default} first, then those given to {@code on(...)}. */
    public java.util.Set<String> kernels() {
        return placement.kernelNames();
    }

    /** The user's namespaces, without {@code host}. */
    public List<String> namespaceNames() {
        return topology.namespaces();
    }

    /** Whether {@code other} is a spec of the same lab: the same elements, in the same order. */
    @Override
    public boolean equals(Object other) {
        return other instanceof LabSpec spec && spec.topology.equals(topology) && spec.placement.equals(placement);
    }

    @Override
    public int hashCode() {
        return topology.hashCode() * 31 + placement.hashCode();
    }

    @Override
    public String toString() {
        return "LabSpec" + topology + (placement.kernels().isEmpty() ? "" : " on kernels " + placement.kernels());
    }

    /**
     * Collects a lab's elements; {@link #build()} validates them all at once and reports every problem
     * together. Its methods are documented on {@link AbstractLabSpecBuilder}, which it extends so that each
     * returns a {@code LabSpec.Builder}.
     */
    public static final class Builder extends AbstractLabSpecBuilder<Builder> {

        private Builder() {}
    }
}
