package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which kernel each namespace of a lab runs on. Namespaces not placed, and {@value Names#HOST}, run
 * on the lab's default kernel, {@value #DEFAULT}. A veth whose two ends sit on different kernels is
 * a <em>cross-kernel link</em>: each kernel's part of the lab gets a point-to-point VXLAN device in
 * its place ({@link #part}). Pure: it reads and writes plain values.
 *
 * @param kernels namespace to kernel name, for the namespaces placed on a named kernel
 */
public record Placement(Map<String, String> kernels) {

    /** The name of the lab's default kernel, the one {@code netnslab.backend} selects. */
    public static final String DEFAULT = "default";

    /** The VXLAN encapsulation over IPv4: outer IPv4 (20), UDP (8), VXLAN (8) and inner Ethernet (14) headers. */
    public static final int VXLAN_OVERHEAD = 50;

    private static final Pattern KERNEL_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");

    /** Every namespace on the default kernel. */
    public static final Placement NONE = new Placement(Map.of());

    public Placement {
        kernels = Collections.unmodifiableMap(new LinkedHashMap<>(kernels));
    }

    /** One {@code on(kernel, namespaces...)} call of a builder, as the user made it. */
    public record Call(String kernel, List<String> namespaces) {
        public Call {
            namespaces = namespaces == null ? null : Collections.unmodifiableList(new ArrayList<>(namespaces));
        }
    }

    /**
     * The placement {@code calls} describe for {@code topology}; every broken rule goes to {@code problems}:
     * a kernel name that is not a name, a namespace the spec does not have, a namespace placed on two
     * kernels, and a macvlan or ipvlan device whose parent would sit on another kernel.
     */
    public static Placement of(List<Call> calls, Topology topology, Problems problems) {
        Map<String, String> placed = new LinkedHashMap<>();
        for (Call call : calls) {
            String attribute = "kernel of on(" + call.kernel() + ", ...)";
            if (call.kernel() == null || !KERNEL_NAME.matcher(call.kernel()).matches()) {
                problems.add(new InvalidLabSpecException(
                        attribute,
                        call.kernel(),
                        "a kernel name is 1-32 characters of [A-Za-z0-9_.-], not starting with '.' or '-',"
                                + " such as 'remote' or 'vm1'"));
                continue;
            }
            if (call.namespaces() == null || call.namespaces().isEmpty()) {
                problems.add(new InvalidLabSpecException(
                        "namespaces of on(" + call.kernel() + ", ...)",
                        "",
                        "name at least one namespace to place on kernel '" + call.kernel() + "'"));
                continue;
            }
            for (String ns : call.namespaces()) {
                String nsAttribute = "namespace placed on kernel " + call.kernel();
                if (Names.HOST.equals(ns)) {
                    problems.add(new InvalidLabSpecException(
                            nsAttribute,
                            ns,
                            "'host' is the lab's sandbox and always runs on the default kernel; place only the"
                                    + " spec's own namespaces " + topology.namespaces()));
                } else if (ns == null || !topology.namespaces().contains(ns)) {
                    problems.add(new InvalidLabSpecException(
                            nsAttribute,
                            ns,
                            "the spec has no such namespace; it has " + topology.namespaces()
                                    + ". Add it with namespace(...) or fix the name"));
                } else if (placed.containsKey(ns) && !placed.get(ns).equals(call.kernel())) {
                    problems.add(new InvalidLabSpecException(
                            nsAttribute,
                            ns,
                            "namespace '" + ns + "' is placed on kernel '" + placed.get(ns) + "' already; a namespace"
                                    + " runs on one kernel: remove it from one of the on(...) calls"));
                } else {
                    placed.put(ns, call.kernel());
                }
            }
        }
        Placement placement = new Placement(placed);
        for (Topology.DeviceSpec device : topology.devices()) {
            if (device.parentNamespace() != null
                    && !placement.kernelOf(device.parentNamespace()).equals(placement.kernelOf(device.namespace()))) {
                problems.add(new InvalidLabSpecException(
                        device.kind() + " " + device.namespace() + ":" + device.name(),
                        device.parentNamespace() + ":" + device.parent(),
                        "its parent runs on kernel '" + placement.kernelOf(device.parentNamespace())
                                + "' and the device on kernel '" + placement.kernelOf(device.namespace())
                                + "'; a " + device.kind() + " device lives on its parent's kernel: place both"
                                + " namespaces on one kernel, or join them with a veth (which becomes a tunnel)"));
            }
        }
        return placement;
    }

    /** The kernel {@code namespace} runs on: {@value #DEFAULT} unless it was placed. */
    public String kernelOf(String namespace) {
        return kernels.getOrDefault(namespace, DEFAULT);
    }

    /** Whether every namespace runs on the default kernel. */
    public boolean isSingleKernel() {
        return kernels.values().stream().allMatch(DEFAULT::equals);
    }

    /** The kernels the lab uses: {@value #DEFAULT} first, then the others as they were first named. */
    public Set<String> kernelNames() {
        Set<String> names = new LinkedHashSet<>();
        names.add(DEFAULT);
        names.addAll(kernels.values());
        return names;
    }

    /** The veths of {@code topology} whose two ends run on different kernels, in spec order. */
    public List<Topology.Veth> crossLinks(Topology topology) {
        return topology.veths().stream()
                .filter(v -> !kernelOf(v.a().namespace()).equals(kernelOf(v.b().namespace())))
                .toList();
    }

    /**
     * One end of a cross-kernel link as a kernel builds it: a VXLAN device called {@code end.iface()},
     * created in the kernel's underlay namespace (its root) and placed into {@code end.namespace()}.
     *
     * @param end    the namespace and interface of the spec's veth end
     * @param vni    the link's own VXLAN network identifier, the same at both ends
     * @param local  this kernel's underlay address
     * @param remote the other kernel's underlay address, as this kernel reaches it
     * @param port   the UDP port the device listens on, the same on both kernels
     * @param mtu    the device's MTU: the underlay's less {@value #VXLAN_OVERHEAD}, or the spec's when lower
     * @param remotePort the UDP port this end sends to: {@code port}, or the port forwarded to the other
     *               kernel's (a VM behind this machine's loopback)
     */
    public record Tunnel(
            Topology.End end, int vni, IpAddress local, IpAddress remote, int port, int mtu, int remotePort) {

        /** A tunnel end that sends to the port it listens on. */
        public Tunnel(Topology.End end, int vni, IpAddress local, IpAddress remote, int port, int mtu) {
            this(end, vni, local, remote, port, mtu, port);
        }

        /** Whether this end sends to a loopback address: to a port this machine forwards to another kernel. */
        public boolean sendsToLoopback() {
            return remote.isLoopback();
        }
    }

    /**
     * The part of {@code topology} that runs on {@code kernel}: its namespaces ({@value Names#HOST} belongs to
     * the default kernel) with everything in them, the veths inside the kernel, and for each
     * cross-kernel link an underlay VXLAN device from {@code tunnels} (those whose end is on this kernel).
     */
    public Topology part(Topology topology, String kernel, List<Tunnel> tunnels) {
        Predicate<String> here = ns -> kernelOf(ns).equals(kernel);
        List<Topology.VxlanSpec> vxlans = new ArrayList<>(filter(topology.vxlans(), v -> here.test(v.namespace())));
        List<Topology.LinkSettings> links = new ArrayList<>(filter(topology.links(), l -> here.test(l.namespace())));
        for (Tunnel tunnel : tunnels) {
            Topology.End end = tunnel.end();
            if (!here.test(end.namespace())) {
                continue;
            }
            vxlans.add(new Topology.VxlanSpec(
                    end.namespace(),
                    end.iface(),
                    tunnel.vni(),
                    null,
                    List.of(tunnel.remote()),
                    tunnel.port(),
                    // A device learns each MAC's underlay address with its own port; where the other end
                    // is reached on another port, every frame goes to the one FDB entry instead.
                    tunnel.remotePort() == tunnel.port(),
                    tunnel.local(),
                    tunnel.remotePort() == tunnel.port() ? 0 : tunnel.remotePort()));
            int index = indexOf(links, end);
            if (index < 0) {
                links.add(
                        Topology.LinkSettings.none(end.namespace(), end.iface()).withMtu(tunnel.mtu()));
            } else {
                Topology.LinkSettings given = links.get(index);
                int mtu = given.mtu() == 0 ? tunnel.mtu() : Math.min(given.mtu(), tunnel.mtu());
                links.set(index, given.withMtu(mtu));
            }
        }
        return new Topology(
                filter(topology.namespaces(), here),
                filter(topology.veths(), v -> here.test(v.a().namespace()) && here.test(v.b().namespace())),
                filter(topology.addresses(), a -> here.test(a.namespace())),
                filter(topology.routes(), r -> here.test(r.namespace())),
                filter(topology.bridges(), b -> here.test(b.namespace())),
                filter(topology.ports(), p -> here.test(p.namespace())),
                vxlans,
                filter(topology.sysctls(), s -> here.test(s.namespace())),
                links,
                filter(topology.iptables(), r -> here.test(r.namespace())),
                filter(topology.nftScripts(), n -> here.test(n.namespace())),
                filter(topology.rules(), r -> here.test(r.namespace())),
                filter(topology.neighbours(), n -> here.test(n.namespace())),
                filter(topology.fdbs(), f -> here.test(f.namespace())),
                filter(topology.devices(), d -> here.test(d.namespace())),
                filter(topology.startups(), s -> here.test(s.namespace())));
    }

    private static int indexOf(List<Topology.LinkSettings> links, Topology.End end) {
        for (int i = 0; i < links.size(); i++) {
            if (links.get(i).namespace().equals(end.namespace())
                    && links.get(i).iface().equals(end.iface())) {
                return i;
            }
        }
        return -1;
    }

    private static <T> List<T> filter(List<T> items, Predicate<T> keep) {
        return items.stream().filter(keep).toList();
    }
}
