package dev.netnslab.internal.engine;

import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.internal.topology.Placement;
import dev.netnslab.internal.topology.Topology;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A lab whose namespaces run on several kernels: one {@link LabEngine} per kernel, each building and
 * owning that kernel's part (its own id, ownership record and clean-up), joined by a VXLAN tunnel
 * for every veth between two kernels (see {@link Placement#part}). The parts start in parallel; if
 * one fails, the others are removed again. Closing removes every part, carrying on past a kernel
 * that cannot be reached (its ownership record stays there, so its next run sweeps it). A lab on one
 * kernel is a spanning lab with one part.
 */
public final class SpanningLab {

    /** The first VNI of a lab's tunnels: below it lie the small numbers that people and CNIs pick by hand. */
    static final int FIRST_VNI = 1 << 20;

    private static final int LAST_VNI = (1 << 24) - 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The lab each part of a lab over several kernels belongs to, so that a part can find its siblings. */
    private static final Map<LabEngine, SpanningLab> OF_PART =
            Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private final Map<String, LabEngine> parts;
    private final Topology topology;
    private final Placement placement;
    private final List<Kernel> ownedKernels;
    private final List<Placement.Tunnel> tunnels;

    private SpanningLab(
            Map<String, LabEngine> parts,
            Topology topology,
            Placement placement,
            List<Kernel> ownedKernels,
            List<Placement.Tunnel> tunnels) {
        this.parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
        this.topology = topology;
        this.placement = placement;
        this.ownedKernels = List.copyOf(ownedKernels);
        this.tunnels = List.copyOf(tunnels);
    }

    /** A lab on one kernel. */
    public static SpanningLab single(LabEngine engine) {
        return new SpanningLab(
                Map.of(Placement.DEFAULT, engine), engine.topology(), Placement.NONE, List.of(), List.of());
    }

    /**
     * Builds {@code topology} over {@code kernels} as {@code placement} places its namespaces.
     *
     * @param kernels      every kernel the placement names, by name, {@value Placement#DEFAULT} included
     * @param ownedKernels those of {@code kernels} that the lab closes when it closes (also when it fails to start)
     * @throws NetnsLabException when a part fails; every part has been removed again
     */
    public static SpanningLab start(
            Topology topology,
            Placement placement,
            Map<String, Kernel> kernels,
            List<Kernel> ownedKernels,
            Settings settings) {
        try {
            List<Placement.Tunnel> tunnels = tunnels(topology, placement, kernels, settings);
            LoopbackTunnels.check(tunnels, placement, kernels);
            Map<String, LabEngine> parts = startParts(topology, placement, kernels, tunnels, settings);
            try {
                LoopbackTunnels.switchOffBypass(tunnels, placement, parts);
            } catch (RuntimeException e) {
                for (LabEngine part : parts.values()) {
                    part.close().forEach(e::addSuppressed);
                }
                throw e;
            }
            SpanningLab lab = new SpanningLab(parts, topology, placement, ownedKernels, tunnels);
            parts.values().forEach(part -> OF_PART.put(part, lab));
            return lab;
        } catch (RuntimeException e) {
            closeKernels(ownedKernels, e);
            throw e;
        }
    }

    /** Both ends of every cross-kernel link: one VNI per link, the underlay of each pair of kernels found once. */
    static List<Placement.Tunnel> tunnels(
            Topology topology, Placement placement, Map<String, Kernel> kernels, Settings settings) {
        Map<String, Underlay> underlays = new LinkedHashMap<>();
        Set<Integer> vnis = new HashSet<>();
        List<Placement.Tunnel> tunnels = new ArrayList<>();
        int port = settings.get(Setting.TUNNEL_PORT);
        for (Topology.Veth veth : placement.crossLinks(topology)) {
            String kernelA = placement.kernelOf(veth.a().namespace());
            String kernelB = placement.kernelOf(veth.b().namespace());
            Underlay underlay = underlays.computeIfAbsent(
                    kernelA + "\n" + kernelB,
                    key -> Underlay.between(
                            kernelA, kernels.get(kernelA), kernelB, kernels.get(kernelB), settings, port));
            int vni;
            do {
                vni = FIRST_VNI + RANDOM.nextInt(LAST_VNI - FIRST_VNI + 1);
            } while (!vnis.add(vni));
            tunnels.add(tunnel(veth.a(), vni, underlay.fromA(), port, underlay.mtu()));
            tunnels.add(tunnel(veth.b(), vni, underlay.fromB(), port, underlay.mtu()));
        }
        return tunnels;
    }

    private static Placement.Tunnel tunnel(Topology.End end, int vni, Underlay.Direction direction, int port, int mtu) {
        return new Placement.Tunnel(end, vni, direction.local(), direction.remote(), port, mtu, direction.remotePort());
    }

    private static Map<String, LabEngine> startParts(
            Topology topology,
            Placement placement,
            Map<String, Kernel> kernels,
            List<Placement.Tunnel> tunnels,
            Settings settings) {
        List<String> names = new ArrayList<>(placement.kernelNames());
        ExecutorService pool = Executors.newFixedThreadPool(names.size(), runnable -> {
            Thread thread = new Thread(runnable, "netnslab-kernel-part");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, Future<LabEngine>> started = new LinkedHashMap<>();
            for (String name : names) {
                Topology part = placement.part(topology, name, tunnels);
                started.put(name, pool.submit(() -> LabEngine.start(part, kernels.get(name), settings)));
            }
            Map<String, LabEngine> parts = new LinkedHashMap<>();
            List<RuntimeException> failures = new ArrayList<>();
            for (Map.Entry<String, Future<LabEngine>> entry : started.entrySet()) {
                try {
                    parts.put(entry.getKey(), entry.getValue().get());
                } catch (ExecutionException e) {
                    failures.add(
                            e.getCause() instanceof RuntimeException runtime
                                    ? runtime
                                    : new NetnsLabException(e.getCause().getMessage(), e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(new NetnsLabException("Interrupted while building the lab's kernels", e));
                }
            }
            if (failures.isEmpty()) {
                return parts;
            }
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            // The failed parts rolled themselves back; the others go too.
            for (LabEngine part : parts.values()) {
                part.close().forEach(first::addSuppressed);
            }
            throw first;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Every namespace of the lab {@code part} belongs to, by logical name, over all its kernels
     * ({@code host} being the default kernel's); just {@code part}'s own when the lab has one kernel.
     */
    public static Map<String, LabNamespace> namespacesAround(LabEngine part) {
        SpanningLab lab = OF_PART.get(part);
        if (lab == null) {
            return part.namespaces();
        }
        Map<String, LabNamespace> all = new LinkedHashMap<>();
        lab.parts.forEach((kernel, each) -> each.namespaces().forEach((name, ns) -> {
            if (kernel.equals(Placement.DEFAULT) || !name.equals(dev.netnslab.internal.topology.Names.HOST)) {
                all.put(name, ns);
            }
        }));
        return all;
    }

    /**
     * How interface {@code iface} of namespace {@code namespace}, in the lab {@code part} belongs to,
     * carries packets to another kernel, for the path walk: {@code through the tunnel to kernel
     * 'remote' (VXLAN VNI 1048577, underlay 10.0.0.1 -> 10.0.0.2)}; empty when it is no tunnel end.
     */
    public static Optional<String> tunnelAround(LabEngine part, String namespace, String iface) {
        SpanningLab lab = OF_PART.get(part);
        if (lab == null) {
            return Optional.empty();
        }
        for (Placement.Tunnel tunnel : lab.tunnels) {
            if (tunnel.end().namespace().equals(namespace)
                    && tunnel.end().iface().equals(iface)) {
                String other = lab.tunnels.stream()
                        .filter(t -> t.vni() == tunnel.vni() && t != tunnel)
                        .map(t -> lab.placement.kernelOf(t.end().namespace()))
                        .findFirst()
                        .orElse("?");
                String to =
                        tunnel.remote() + (tunnel.remotePort() == tunnel.port() ? "" : " port " + tunnel.remotePort());
                return Optional.of("through the tunnel to kernel '" + other + "' (VXLAN VNI " + tunnel.vni()
                        + ", underlay " + (tunnel.local() == null ? "" : tunnel.local() + " ") + "-> " + to + ")");
            }
        }
        return Optional.empty();
    }

    /** The part on the default kernel, which holds {@code host}. */
    public LabEngine primary() {
        return parts.get(Placement.DEFAULT);
    }

    /** Every part by kernel name, {@value Placement#DEFAULT} first. */
    public Map<String, LabEngine> parts() {
        return parts;
    }

    /** The whole lab's topology, as the spec gave it (each part holds its own share). */
    public Topology topology() {
        return topology;
    }

    /** The faults the test switched on, per logical namespace, over every part. */
    public Map<String, List<String>> faultNotes() {
        Map<String, List<String>> notes = new LinkedHashMap<>();
        for (LabEngine part : parts.values()) {
            part.faults()
                    .notes()
                    .forEach((ns, list) ->
                            notes.computeIfAbsent(ns, k -> new ArrayList<>()).addAll(list));
        }
        return notes;
    }

    /** The kernel {@code namespace} runs on, {@value Placement#DEFAULT} for the default one. */
    public String kernelOf(String namespace) {
        return placement.kernelOf(namespace);
    }

    /** Which kernel each namespace runs on. */
    public Placement placement() {
        return placement;
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return primary().isClosed();
    }

    /**
     * Closes every part, then the kernels the lab owns; carries on past errors and returns them all,
     * each saying which kernel it came from when the lab spans several.
     */
    public List<Throwable> close() {
        List<Throwable> problems = new ArrayList<>();
        for (Map.Entry<String, LabEngine> part : parts.entrySet()) {
            List<Throwable> found = part.getValue().close();
            if (parts.size() == 1) {
                problems.addAll(found);
                continue;
            }
            for (Throwable problem : found) {
                NetnsLabException onKernel = new NetnsLabException(
                        "on kernel '" + part.getKey() + "' ("
                                + part.getValue().kernel().describe() + "), part "
                                + part.getValue().id() + ": " + problem.getMessage()
                                + " (its ownership record stays there: the next run on that kernel sweeps it)",
                        problem);
                problems.add(onKernel);
            }
        }
        for (Kernel kernel : ownedKernels) {
            try {
                kernel.close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        return problems;
    }

    private static void closeKernels(List<Kernel> kernels, RuntimeException failure) {
        for (Kernel kernel : kernels) {
            try {
                kernel.close();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    @Override
    public String toString() {
        if (parts.size() == 1) {
            return primary().toString();
        }
        StringBuilder text = new StringBuilder("Lab " + primary().id() + " over kernels");
        parts.forEach((name, part) -> text.append(' ')
                .append(name)
                .append(" (")
                .append(part.kernel().describe())
                .append(": ")
                .append(part.namespaces().keySet())
                .append(')'));
        return text.toString();
    }
}
