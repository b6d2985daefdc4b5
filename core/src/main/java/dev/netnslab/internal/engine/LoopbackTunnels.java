package dev.netnslab.internal.engine;

import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.netns.VxlanLocalBypass;
import dev.netnslab.internal.topology.Placement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tunnel ends that send to this machine's loopback address, where a port forwarded by qemu leads
 * to a VM's kernel. Linux would hand such packets to its own VXLAN devices instead of sending them
 * (the local bypass); this JVM switches that off on each such device, from a thread inside its
 * namespace, which it can do only on its own kernel, as root. The check runs before anything is
 * created; the switch, after the parts are built and before the lab is handed over.
 */
final class LoopbackTunnels {

    private LoopbackTunnels() {}

    /**
     * Refuses, before anything is created, a tunnel to the loopback address from a kernel whose
     * namespaces this JVM cannot enter.
     */
    static void check(List<Placement.Tunnel> tunnels, Placement placement, Map<String, Kernel> kernels) {
        for (Placement.Tunnel tunnel : tunnels) {
            if (!tunnel.sendsToLoopback()) {
                continue;
            }
            String kernelName = placement.kernelOf(tunnel.end().namespace());
            Kernel kernel = kernels.get(kernelName);
            Optional<String> why = kernel.whyNoJava();
            if (why.isPresent()) {
                throw new NetnsLabException("The tunnel of " + tunnel.end().namespace() + ":"
                        + tunnel.end().iface()
                        + " on kernel '" + kernelName + "' (" + kernel.describe() + ") would send to "
                        + tunnel.remote() + " port " + tunnel.remotePort()
                        + ", a port this machine forwards to another kernel; Linux sends a VXLAN packet to its own"
                        + " address only when the device's local bypass is off, which this JVM sets from inside"
                        + " the namespace, but " + why.get() + ". Run the test as root on the local backend, or set"
                        + " netnslab.kernels.<name>.underlay for both kernels to addresses that reach each other.");
            }
        }
    }

    /** Switches off the local bypass of every tunnel end of {@code parts} that sends to the loopback address. */
    static void switchOffBypass(List<Placement.Tunnel> tunnels, Placement placement, Map<String, LabEngine> parts) {
        for (Placement.Tunnel tunnel : tunnels) {
            if (!tunnel.sendsToLoopback()) {
                continue;
            }
            LabEngine part = parts.get(placement.kernelOf(tunnel.end().namespace()));
            LabNamespace namespace = part.namespace(tunnel.end().namespace());
            try {
                part.threads().of(namespace).call(() -> {
                    VxlanLocalBypass.switchOff(tunnel.end().iface());
                    return null;
                });
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new NetnsLabException(
                        "Could not configure the tunnel " + tunnel.end().namespace() + ":"
                                + tunnel.end().iface() + ": " + e.getMessage(),
                        e);
            }
        }
    }
}
