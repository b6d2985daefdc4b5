package dev.netnslab;

import dev.netnslab.backend.Backend;
import dev.netnslab.internal.backend.Backends;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.engine.ConnectionFaults;
import dev.netnslab.internal.engine.InterfaceFaults;
import dev.netnslab.internal.engine.LabEngine;
import dev.netnslab.internal.engine.LabKernels;
import dev.netnslab.internal.engine.LabNamespace;
import dev.netnslab.internal.engine.PartitionCut;
import dev.netnslab.internal.engine.SpanningLab;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.internal.topology.Names;
import dev.netnslab.internal.topology.Placement;
import dev.netnslab.internal.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A running lab: real network namespaces on a backend's kernel, built from a {@link LabSpec}.
 *
 * <h2>Creation</h2>
 * {@link #start(LabSpec)} builds the whole lab with a handful of {@code ip -batch} processes. If any
 * step fails, everything this lab created is removed again before the exception is thrown.
 *
 * <h2>Names</h2>
 * Each lab has a short random {@linkplain #id() id}. The namespace {@code netns1} of the spec is
 * {@code netns1-<id>} in {@code ip netns list}, so labs with identical specs run side by side;
 * {@link Namespace#name()} is still {@code netns1}. Interface names inside namespaces are exactly
 * those of the spec.
 *
 * <h2>Clean up</h2>
 * {@link #close()} stops the processes the lab spawned, deletes the lab's namespaces (which
 * destroys their interfaces) and checks they are gone. It never touches anything the lab did not create.
 * Should the JVM die first, even by {@code kill -9}, the lab's ownership record lets a watchdog, or
 * the next run, remove it (see the project's docs/cleanup.md).
 *
 * <pre>{@code
 * try (Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null))) {
 *     assertThat(lab.host()).canPing("10.200.1.1");
 * }
 * }</pre>
 */
public final class Lab implements AutoCloseable {

    static {
        ApiBridge.install(new ApiBridge.Api() {
            @Override
            public LabEngine engine(Lab lab) {
                return lab.engine;
            }

            @Override
            public LabNamespace engine(Namespace ns) {
                return ns.engine();
            }

            @Override
            public Topology topology(LabSpec spec) {
                return spec.topology();
            }

            @Override
            public Lab handle(LabSpec spec, LabEngine engine) {
                return new Lab(spec, SpanningLab.single(engine));
            }

            @Override
            public Placement placement(LabSpec spec) {
                return spec.placement();
            }

            @Override
            public Lab handle(LabSpec spec, SpanningLab lab) {
                return new Lab(spec, lab);
            }

            @Override
            public SpanningLab parts(Lab lab) {
                return lab.parts;
            }
        });
    }

    private final LabSpec spec;
    private final SpanningLab parts;
    private final LabEngine engine;
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final Map<InterfaceFaults, Link> links = new ConcurrentHashMap<>();
    private final Map<ConnectionFaults, Connections> connections = new ConcurrentHashMap<>();
    private final List<Capture> captures = new CopyOnWriteArrayList<>();

    private Lab(LabSpec spec, SpanningLab parts) {
        this.spec = spec;
        this.parts = parts;
        this.engine = parts.primary();
        parts.parts()
                .forEach((kernel, part) -> part.namespaces().forEach((name, ns) -> {
                    // Each kernel's part has a host sandbox of its own; the lab's host is the default kernel's.
                    if (kernel.equals(Placement.DEFAULT) || !name.equals(Names.HOST)) {
                        namespaces.put(name, new Namespace(this, ns, kernel));
                    }
                }));
    }

    /**
     * Builds {@code spec} on the backend that {@code netnslab.backend} selects (the local kernel by
     * default). That backend belongs to this lab: {@link #close()} closes it too (an SSH connection,
     * for example).
     *
     * <p><b>Ready at handover.</b> It returns once every interface the spec brings up carries
     * packets: up with carrier, operational, forwarding if it is a bridge port, and without tentative
     * IPv6 addresses where the spec gives IPv6. A client that connects once, right after this
     * returns, gets through. The wait is bounded by {@code netnslab.ready.timeout} (10 s); past it,
     * the start fails naming each interface that is not ready and its state, and the lab is removed.
     *
     * @throws InvalidLabSpecException   before anything is created, when the spec does not fit the kernel
     * @throws dev.netnslab.backend.BackendUnavailableException when no backend is usable, saying why
     * @throws NetnsLabException         when a step fails; what the lab created has been removed again
     */
    public static Lab start(LabSpec spec) {
        Settings settings = Settings.fromSystem();
        if (!spec.placement().isSingleKernel()) {
            return new Lab(spec, LabKernels.start(spec.topology(), spec.placement(), Map.of(), null, settings));
        }
        Kernel kernel = Kernel.of(Backends.select(settings));
        try {
            Lab lab = new Lab(spec, SpanningLab.single(LabEngine.start(spec.topology(), kernel, settings)));
            lab.engine.ownKernel();
            return lab;
        } catch (RuntimeException e) {
            kernel.close();
            throw e;
        }
    }

    /**
     * Builds {@code spec} on {@code backend}, ready at handover as {@link #start(LabSpec)} is. The
     * backend stays open; closing the lab does not close it.
     *
     * @throws InvalidLabSpecException before anything is created, when the spec does not fit the kernel
     * @throws NetnsLabException       when a step fails; what the lab created has been removed again
     */
    public static Lab start(LabSpec spec, Backend backend) {
        return start(spec, backend, Settings.fromSystem());
    }

    /**
     * Builds {@code spec} over several kernels, given by the names its
     * {@link LabSpec.Builder#on(String, String...) on(...)} calls use. The namespaces not placed run
     * on the kernel called {@code default} when {@code kernels} has one, else on the one
     * {@code netnslab.backend} selects; a name {@code kernels} lacks is looked up in the settings
     * {@code netnslab.kernels.<name>}. The kernels given stay open: the caller closes them.
     *
     * <p>Each kernel builds its part of the lab, all at once; a veth between two kernels becomes a
     * VXLAN tunnel over their underlay (see docs/scale-out.md). If any part fails, every kernel is
     * rolled back. {@link #close()} removes the lab from every kernel, carrying on past one that
     * cannot be reached.
     *
     * <pre>{@code
     * try (Backend remote = Backend.open("ssh://root@10.0.0.2");
     *      Lab lab = Lab.start(spec, Map.of("remote", remote))) {
     *     assertThat(lab.namespace("h1")).canPing("10.1.0.1");
     * }
     * }</pre>
     *
     * @throws InvalidLabSpecException before anything is created, when the spec names a kernel that is
     *                                 neither in {@code kernels} nor in the settings (the message lists those that exist)
     * @throws NetnsLabException       when a part fails; what the lab created has been removed from every kernel
     */
    public static Lab start(LabSpec spec, Map<String, ? extends Backend> kernels) {
        return start(spec, kernels, Settings.fromSystem());
    }

    /** With given settings. */
    static Lab start(LabSpec spec, Map<String, ? extends Backend> kernels, Settings settings) {
        return new Lab(spec, LabKernels.start(spec.topology(), spec.placement(), kernels, null, settings));
    }

    /** With given settings. */
    static Lab start(LabSpec spec, Backend backend, Settings settings) {
        if (!spec.placement().isSingleKernel()) {
            return new Lab(spec, LabKernels.start(spec.topology(), spec.placement(), Map.of(), backend, settings));
        }
        return new Lab(spec, SpanningLab.single(LabEngine.start(spec.topology(), Kernel.of(backend), settings)));
    }

    /** With given settings, and an id that tests may choose to make a name collide on purpose. */
    static Lab start(LabSpec spec, Backend backend, Settings settings, String id) {
        return new Lab(spec, SpanningLab.single(LabEngine.start(spec.topology(), Kernel.of(backend), settings, id)));
    }

    /** This lab's id, the suffix of its namespaces' system names, e.g. {@code nl4k2x9q}. */
    public String id() {
        return engine.id();
    }

    /** The spec this lab was built from. */
    public LabSpec spec() {
        return spec;
    }

    /** The host side: the lab's sandbox namespace that holds {@code veth1} and the host address. */
    public Namespace host() {
        return namespaces.get(Names.HOST);
    }

    /**
     * The namespace with logical name {@code name}, as written in the spec ({@code host} gives {@link #host()}).
     *
     * @throws IllegalArgumentException when the lab has no such namespace; the message lists those it has
     */
    public Namespace namespace(String name) {
        Namespace ns = namespaces.get(name);
        if (ns == null) {
            throw new IllegalArgumentException(
                    "Lab " + id() + " has no namespace '" + name + "'; it has " + namespaces.keySet());
        }
        return ns;
    }

    /** The user's namespaces in spec order, without {@link #host()}. */
    public List<Namespace> namespaces() {
        return namespaces.values().stream()
                .filter(ns -> !ns.name().equals(Names.HOST))
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * Whether Java code of this JVM can enter every namespace of this lab, the host side included:
     * {@link Namespace#call}, {@link Namespace#callAsync}, {@link Namespace#executor()} and the
     * socket factories then work. They need the lab open, on this JVM's kernel (the local backend),
     * and the JVM running as root. For {@code assumeTrue(lab.canCall())} in tests that also run on
     * other backends, where Java code cannot enter and the test is skipped instead of failed.
     */
    public boolean canCall() {
        return namespaces.values().stream().allMatch(Namespace::canCall);
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return parts.isClosed();
    }

    /**
     * Stops the lab's processes, deletes its namespaces and waits until {@code ip netns list} no
     * longer shows them. Idempotent. Problems are collected and thrown together at the end.
     *
     * @throws NetnsLabException listing what could not be removed
     */
    @Override
    public void close() {
        List<Throwable> problems = parts.close();
        if (!problems.isEmpty()) {
            NetnsLabException failure = new NetnsLabException("Could not fully tear down lab " + id() + ": "
                    + problems.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")));
            problems.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /**
     * Hands this lab over to you for good: its ownership record is removed, so neither the
     * watchdog nor a later sweep deletes it when this JVM ends. Its namespaces stay until you
     * delete them ({@code ip netns del NAME}, see {@link Namespace#systemName()}) or call
     * {@link #close()}. This is what {@code netnslab.keepOnFailure=true} does to a failed test's lab.
     * On the {@code rootless} backend a lab cannot outlive its JVM: it stays until the JVM exits.
     */
    public void keep() {
        parts.parts().values().forEach(LabEngine::releaseClaim);
    }

    /**
     * Starts a packet capture on interface {@code iface} of namespace {@code ns}; the same as
     * {@code lab.namespace(ns).capture(iface)}, see {@link Namespace#capture(String)}.
     *
     * <pre>{@code
     * try (Capture capture = lab.capture("netns1", "veth2")) {
     *     assertThat(lab.host()).canPing("10.200.1.1");
     * }
     * }</pre>
     */
    public Capture capture(String ns, String iface) {
        return namespace(ns).capture(iface);
    }

    /**
     * A handle on interface {@code iface} of namespace {@code ns}, to break and mend it while the
     * test runs: {@link Link#down()}, {@link Link#up()}, {@link Link#loss(double)},
     * {@link Link#rate(String)}, {@link Link#mtu(int)}, {@link Link#clear()}, and
     * {@link Link#inbound()} for the packets that arrive on it. The same interface always gives the
     * same handle. Whatever is still active when the lab closes goes with it.
     *
     * <pre>{@code
     * lab.link("netns1", "veth2").down();
     * assertThat(lab.host()).cannotPing("10.200.1.1");
     * lab.link("netns1", "veth2").up();
     * }</pre>
     *
     * @throws IllegalArgumentException when the lab has no such namespace, or the namespace no such
     *         interface; the message lists those it has
     */
    public Link link(String ns, String iface) {
        LabNamespace target = namespace(ns).engine();
        return links.computeIfAbsent(target.lab().faults().link(target, iface), Link::new);
    }

    /**
     * Both ends of the veth pair that interface {@code iface} of namespace {@code ns} belongs to, to
     * shape or cut the cable both ways in one call: {@code lab.cable("client", "eth0").rate("1mbit")}
     * limits what the client sends and what it receives.
     *
     * @throws IllegalArgumentException when the lab has no such namespace, or the interface is not
     *         one end of a veth pair the lab built; the message lists the pairs it has
     */
    public Cable cable(String ns, String iface) {
        namespace(ns);
        for (Topology.Veth veth : engine.topology().veths()) {
            for (Topology.End[] ends : new Topology.End[][] {{veth.a(), veth.b()}, {veth.b(), veth.a()}}) {
                if (ends[0].namespace().equals(ns) && ends[0].iface().equals(iface)) {
                    return new Cable(link(ns, iface), link(ends[1].namespace(), ends[1].iface()));
                }
            }
        }
        throw new IllegalArgumentException("lab.cable(\"" + ns + "\", \"" + iface + "\") is refused: " + ns + ":"
                + iface + " is not one end of a veth pair of lab " + id() + "; its pairs are "
                + engine.topology().veths().stream()
                        .map(v -> v.a() + " <-> " + v.b())
                        .toList()
                + ". Pass one of those ends, or use lab.link(ns, iface) for one interface.");
    }

    /**
     * Cuts namespaces {@code nsA} and {@code nsB} apart until the returned {@link Partition} is
     * healed or closed, or the lab closes: no packet passes between the two, either way, while
     * each still reaches every other namespace.
     *
     * <pre>{@code
     * try (Partition split = lab.partition("node1", "node2")) {
     *     assertThat(lab.namespace("node1")).cannotPing("10.0.0.2");
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException for an unknown or repeated name, or a namespace without addresses
     */
    public Partition partition(String nsA, String nsB) {
        return new Partition(engine.faults()
                .partition(namespace(nsA).engine(), namespace(nsB).engine()));
    }

    /**
     * Cuts every namespace of {@code side} from every namespace of {@code otherSide}, both ways,
     * until the returned {@link Partition} is healed or closed, or the lab closes. Traffic within a
     * side, and with namespaces on neither side, is untouched.
     *
     * <pre>{@code
     * try (Partition split = lab.partition(List.of("n1", "n2"), List.of("n3", "n4", "n5"))) {
     *     assertThat(lab.namespace("n1")).canPing("10.0.0.2").cannotPing("10.0.0.3");
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException for an unknown name, an empty side, a namespace on both
     *         sides, or a namespace that shares no address family (link-local aside) with the other side
     */
    public Partition partition(Collection<String> side, Collection<String> otherSide) {
        List<LabNamespace> one = engines(side);
        List<LabNamespace> other = engines(otherSide);
        return new Partition(engine.faults()
                .partition("partition(" + List.copyOf(side) + ", " + List.copyOf(otherSide) + ")", one, other));
    }

    /**
     * Cuts namespace {@code ns} from every other namespace of the lab (the host side included),
     * both ways: Jepsen's "isolate one node".
     *
     * <pre>{@code
     * try (Partition alone = lab.isolate("leader")) {
     *     assertThat(lab.namespace("leader")).cannotPing("10.0.0.2");
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException for an unknown name, or when no other namespace has an
     *         address in a family {@code ns} has
     */
    public Partition isolate(String ns) {
        return new Partition(engine.faults().isolate(namespace(ns).engine()));
    }

    /**
     * Drops the packets {@code from} sends to {@code to}; what {@code to} sends to {@code from}
     * still arrives. A TCP handshake started by {@code to} fails when {@code from}'s answer is
     * needed, and a heartbeat from {@code to} is still heard by {@code from}.
     *
     * <pre>{@code
     * try (Partition deaf = lab.partitionOneWay("a", "b")) {
     *     assertThat(lab.namespace("a")).cannotPing("10.0.0.2");   // the echo request is dropped
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException for an unknown or repeated name, or a namespace without an
     *         address in the other's family
     */
    public Partition partitionOneWay(String from, String to) {
        return new Partition(engine.faults()
                .partitionOneWay(namespace(from).engine(), namespace(to).engine()));
    }

    /**
     * Makes {@code shape} real: every pair of namespaces it cuts stops exchanging packets, both
     * ways, until the returned {@link Partition} is healed or closed, or the lab closes.
     *
     * <pre>{@code
     * try (Partition ring = lab.partition(PartitionShape.majoritiesRing(List.of("n1", "n2", "n3", "n4", "n5")))) {
     *     ...
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException for an unknown name, or a namespace that shares no address
     *         family with one it is cut from
     */
    public Partition partition(PartitionShape shape) {
        List<PartitionCut.Cut> cuts = new ArrayList<>();
        shape.cutOff()
                .forEach((from, peers) -> peers.forEach(to -> cuts.add(new PartitionCut.Cut(
                        namespace(from).engine(), namespace(to).engine()))));
        return new Partition(engine.faults().partition("partition(" + shape.name() + ")", cuts));
    }

    /**
     * The TCP connections namespace {@code from} opens to namespace {@code to}, to break in that
     * direction only: {@link Connections#reset(int)}, {@link Connections#silence(int)},
     * {@link Connections#limitData(int, long)}, each on a port {@code to} listens on. Connections
     * {@code to} opens to {@code from}, and every other namespace's, are untouched. The same pair
     * always gives the same handle; its faults last until {@link Connections#heal()} or the lab
     * closes.
     *
     * <pre>{@code
     * try (Connections toServer = lab.connections("client", "server").reset(8080)) {
     *     assertThat(lab.namespace("client")).cannotConnect("10.0.0.2", 8080);
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the lab's namespaces)
     *         or the same name twice, before anything changes
     */
    public Connections connections(String from, String to) {
        for (String name : new String[] {from, to}) {
            if (!namespaces.containsKey(name)) {
                throw new IllegalArgumentException("lab.connections(" + quoted(from) + ", " + quoted(to)
                        + ") is refused: lab " + id() + " has no namespace " + quoted(name) + "; it has "
                        + namespaces.keySet() + ". Pass two of those. Nothing was changed.");
            }
        }
        ConnectionFaults pair = engine.faults()
                .connections(namespace(from).engine(), namespace(to).engine());
        return connections.computeIfAbsent(pair, Connections::new);
    }

    private static String quoted(String name) {
        return name == null ? "null" : "\"" + name + "\"";
    }

    private List<LabNamespace> engines(Collection<String> names) {
        return new LinkedHashSet<>(names)
                .stream().map(n -> namespace(n).engine()).toList();
    }

    /** The packet captures started in this lab, running or stopped, oldest first. */
    public List<Capture> captures() {
        return List.copyOf(captures);
    }

    /**
     * Where this lab writes files (diagrams, packet captures): {@code netnslab.outputDir}, default
     * {@code target/netnslab}, made absolute against the working directory.
     */
    public Path outputDirectory() {
        return engine.outputDirectory();
    }

    Capture register(Capture capture) {
        captures.add(capture);
        return capture;
    }

    @Override
    public String toString() {
        return parts.toString();
    }
}
