package dev.netnslab.internal.engine;

import dev.netnslab.ExecResult;
import dev.netnslab.NetInterface;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.iproute.IpJson;
import dev.netnslab.internal.iproute.RouteLookup;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.internal.topology.IpAddress;
import dev.netnslab.internal.topology.Placement;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How two kernels of a lab reach each other: where each sends its tunnel packets (the other's
 * underlay address and port) and the MTU a tunnel between them may have. An address is, first hit
 * wins, {@code netnslab.kernels.<name>.underlay}, the host of the kernel's SSH connection, or the
 * source address the kernel's routes pick towards the other kernel's address; the MTU is that of the
 * underlay interfaces on the way, less the VXLAN encapsulation.
 *
 * <p>Two kernels without either address meet at this JVM's machine's loopback when both reach it
 * ({@link Kernel#thisMachinesLoopback()}) and each has its tunnel port there
 * ({@link Kernel#loopbackTunnelPort(int)}): this machine's own kernel and a VM on qemu's user-mode
 * network, whose forwarded UDP port leads to the guest's tunnel port, while the guest reaches this
 * machine's loopback at its network's gateway.
 *
 * @param fromA how kernel A sends to kernel B
 * @param fromB how kernel B sends to kernel A
 * @param mtu   the MTU of a tunnel device between them
 */
record Underlay(Direction fromA, Direction fromB, int mtu) {

    /**
     * How one kernel sends tunnel packets to the other.
     *
     * @param local      its source address, or {@code null} when its routes pick it
     * @param remote     the other kernel's address, as this one reaches it
     * @param remotePort the UDP port there
     */
    record Direction(IpAddress local, IpAddress remote, int remotePort) {}

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Finds the underlay between kernel {@code nameA} and kernel {@code nameB}, whose tunnels listen on
     * {@code port}.
     *
     * @throws NetnsLabException when neither address can be found, or a kernel has no route to the other;
     *                           the message names the setting that fixes it
     */
    static Underlay between(String nameA, Kernel a, String nameB, Kernel b, Settings settings, int port) {
        boolean configured = settings.find(Setting.KERNEL_UNDERLAY.named(nameA)).isPresent()
                || settings.find(Setting.KERNEL_UNDERLAY.named(nameB)).isPresent();
        if (!configured && a.underlayHost().isEmpty() && b.underlayHost().isEmpty()) {
            Optional<Underlay> loopback = viaLoopback(a, b, port);
            if (loopback.isPresent()) {
                Underlay found = loopback.get();
                int mtu = Math.min(
                                mtu(a, route(nameA, a, found.fromA().remote())),
                                mtu(b, route(nameB, b, found.fromB().remote())))
                        - Placement.VXLAN_OVERHEAD;
                return new Underlay(found.fromA(), found.fromB(), mtu);
            }
        }
        IpAddress addressA = known(nameA, a, settings).orElse(null);
        IpAddress addressB = known(nameB, b, settings).orElse(null);
        if (addressA == null && addressB == null) {
            throw new NetnsLabException("Cannot tell how kernels '" + nameA + "' (" + a.describe() + ") and '" + nameB
                    + "' (" + b.describe() + ") reach each other: neither is an SSH host at a non-loopback address."
                    + " Set " + Setting.KERNEL_UNDERLAY.named(nameA) + " or " + Setting.KERNEL_UNDERLAY.named(nameB)
                    + " to the address the other kernel reaches it at.");
        }
        RouteLookup fromA = null;
        RouteLookup fromB = null;
        if (addressB != null) {
            fromA = route(nameA, a, addressB);
        }
        if (addressA == null) {
            addressA = source(nameA, fromA, addressB);
        }
        fromB = route(nameB, b, addressA);
        if (addressB == null) {
            addressB = source(nameB, fromB, addressA);
            fromA = route(nameA, a, addressB);
        }
        int mtu = Math.min(mtu(a, fromA), mtu(b, fromB)) - Placement.VXLAN_OVERHEAD;
        return new Underlay(new Direction(addressA, addressB, port), new Direction(addressB, addressA, port), mtu);
    }

    /**
     * The two directions through this machine's loopback, when both kernels reach it and have their
     * tunnel port there (MTU 0: not looked up); empty otherwise. Pure: it only asks the kernels what
     * they are.
     */
    static Optional<Underlay> viaLoopback(Kernel a, Kernel b, int port) {
        Optional<String> loopbackOfA = a.thisMachinesLoopback();
        Optional<String> loopbackOfB = b.thisMachinesLoopback();
        OptionalInt portOfA = a.loopbackTunnelPort(port);
        OptionalInt portOfB = b.loopbackTunnelPort(port);
        if (loopbackOfA.isEmpty() || loopbackOfB.isEmpty() || portOfA.isEmpty() || portOfB.isEmpty()) {
            return Optional.empty();
        }
        if (loopbackOfA.equals(loopbackOfB) && portOfA.getAsInt() == portOfB.getAsInt()) {
            // Both are this machine's own kernel: nothing is forwarded, so the loopback joins nothing.
            return Optional.empty();
        }
        return Optional.of(new Underlay(
                new Direction(null, IpAddress.parse("loopback", loopbackOfA.get()), portOfB.getAsInt()),
                new Direction(null, IpAddress.parse("loopback", loopbackOfB.get()), portOfA.getAsInt()),
                0));
    }

    /** The address configured for the kernel, or its SSH host's. */
    private static Optional<IpAddress> known(String name, Kernel kernel, Settings settings) {
        Optional<String> configured = settings.find(Setting.KERNEL_UNDERLAY.named(name));
        if (configured.isPresent()) {
            return Optional.of(literal(
                    configured.get(), Setting.KERNEL_UNDERLAY.named(name).key()));
        }
        return kernel.underlayHost().map(host -> resolve(name, host));
    }

    private static IpAddress literal(String text, String what) {
        try {
            return IpAddress.parse(what, text);
        } catch (IllegalArgumentException e) {
            throw new NetnsLabException(
                    what + " must be an IPv4 or IPv6 address but was '" + text + "': " + e.getMessage());
        }
    }

    private static IpAddress resolve(String name, String host) {
        if (IpAddress.isValid(host)) {
            return IpAddress.parse("host", host);
        }
        try {
            return IpAddress.parse("host", InetAddress.getByName(host).getHostAddress());
        } catch (UnknownHostException e) {
            throw new NetnsLabException("Cannot resolve the host of kernel '" + name + "', " + host
                    + ", to an address for its tunnels: " + e.getMessage() + ". Set "
                    + Setting.KERNEL_UNDERLAY.named(name) + " to its address.");
        }
    }

    /** {@code ip -json route get TARGET} on {@code kernel}, in its root namespace. */
    private static RouteLookup route(String name, Kernel kernel, IpAddress target) {
        ExecResult result = kernel.run(
                Command.of(LOOKUP_TIMEOUT, List.of(kernel.ip(), "-json", "route", "get", target.toString())));
        if (!result.isSuccess()) {
            throw new NetnsLabException("Kernel '" + name + "' (" + kernel.describe() + ") has no route to "
                    + target + ", the other end of a lab's tunnel: "
                    + result.stderr().strip()
                    + ". Give it a route there, or set " + Setting.KERNEL_UNDERLAY.named(name) + " and the"
                    + " other kernel's underlay address to addresses that reach each other.");
        }
        return IpJson.routeLookup(result.stdout());
    }

    private static IpAddress source(String name, RouteLookup route, IpAddress target) {
        if (route.source() == null) {
            throw new NetnsLabException("Kernel '" + name + "' would send packets to " + target
                    + " without a source address; set " + Setting.KERNEL_UNDERLAY.named(name) + ".");
        }
        return IpAddress.parse("prefsrc", route.source());
    }

    /** The MTU of the interface {@code route} leaves by; 1500 when it cannot be read. */
    private static int mtu(Kernel kernel, RouteLookup route) {
        if (route == null || route.device() == null) {
            return 1500;
        }
        ExecResult result = kernel.run(
                Command.of(LOOKUP_TIMEOUT, List.of(kernel.ip(), "-json", "link", "show", "dev", route.device())));
        if (!result.isSuccess()) {
            return 1500;
        }
        List<NetInterface> links = IpJson.links(result.stdout());
        return links.isEmpty() || links.get(0).mtu() <= 0 ? 1500 : links.get(0).mtu();
    }
}
