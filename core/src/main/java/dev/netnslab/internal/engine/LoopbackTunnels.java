package dev.netnslab.internal.engine;

import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.netns.VxlanLocalBypass;
import dev.netnslab.internal.topology.Placement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tunnel ends that send to this machine's loopback address, where a port forwarded by qemu leads
 * to a VM's kernel. Linux would hand such packets to its own VXLAN devices instead of sending them
 * (the local bypass); this JVM switches that off on each such device, from a thread inside its
 * namespace, which it can do only on its own kernel, as root. The check runs before anything is
 * created; the switch, after the parts are built and before the lab is handed over.
 */
final class LoopbackTunnels {

    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)");

    private LoopbackTunnels() {}

    /**
     * Refuses, before anything is created, a tunnel to the loopback address from a kernel whose
     * namespaces this JVM cannot enter, or from this JVM's kernel when it is older than Linux 6.5.
     */
    static void check(List<Placement.Tunnel> tunnels, Placement placement, Map<String, Kernel> kernels) {
        check(tunnels, placement, kernels, System.getProperty("os.version", ""));
    }

    /** {@link #check(List, Placement, Map)} for this JVM's kernel at {@code release} ({@code uname -r}). */
    static void check(
            List<Placement.Tunnel> tunnels, Placement placement, Map<String, Kernel> kernels, String release) {
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
            if (!atLeast65(release)) {
                throw new NetnsLabException("The tunnel of " + tunnel.end().namespace() + ":"
                        + tunnel.end().iface()
                        + " on kernel '" + kernelName + "' would send to " + tunnel.remote() + " port "
                        + tunnel.remotePort() + ", a port this machine forwards to another kernel; that needs the"
                        + " VXLAN setting localbypass, which Linux has since 6.5, but this machine runs Linux '"
                        + release + "'. Run the test on a newer kernel, or set netnslab.kernels.<name>.underlay for"
                        + " both kernels to addresses that reach each other (a VM with a bridged or tap network).");
            }
        }
    }

    /** Whether kernel release {@code release} ({@code 6.1.0-18-amd64}) is Linux 6.5 or later; true when it cannot tell. */
    static boolean atLeast65(String release) {
        Matcher m = RELEASE.matcher(release);
        if (!m.find()) {
            return true;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 6 || (major == 6 && minor >= 5);
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
