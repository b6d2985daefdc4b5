package dev.netnslab.internal.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.testing.Kernel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A VXLAN device whose remote is a UDP socket on its own kernel's loopback, in a namespace of the
 * test's own (its underlay is that namespace): with the local bypass on (the default), Linux looks
 * for a VXLAN device of its own at that port and drops the frame; switched off, the frame reaches
 * the socket as a VXLAN packet.
 */
@Tag("kernel")
@DisplayName("VxlanLocalBypass on this kernel: a tunnel to a socket of its own loopback")
class VxlanLocalBypassKernelTest {

    private static final int VNI = 1_234_567;

    private final String ns = "vxbypass-" + UUID.randomUUID().toString().substring(0, 8);
    private NamespaceThread thread;

    @BeforeEach
    void namespace() {
        Assumptions.assumeTrue(NamespaceThread.whyNot() == null, "entering namespaces needs root and JNA");
        Kernel.addForeignNamespace(ns);
        Kernel.runOk("ip", "-n", ns, "link", "set", "lo", "up");
        Kernel.runOk(
                "ip",
                "-n",
                ns,
                "link",
                "add",
                "vx0",
                "type",
                "vxlan",
                "id",
                String.valueOf(VNI),
                "dstport",
                "4790",
                "nolearning");
        Kernel.runOk("ip", "-n", ns, "addr", "add", "10.99.0.1/24", "dev", "vx0");
        Kernel.runOk("ip", "-n", ns, "link", "set", "vx0", "up");
        thread = NamespaceThread.start(ns, Path.of("/run/netns", ns));
    }

    @AfterEach
    void remove() {
        if (thread != null) {
            thread.close();
        }
        Kernel.deleteNamespaces(ns);
    }

    /** The VNI of the first VXLAN packet the socket receives while vx0 sends an ARP request; -1 when none comes. */
    private int receivedVni() throws Exception {
        return thread.call(() -> {
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                socket.setSoTimeout(1500);
                Kernel.runOk(
                        "bridge",
                        "-n",
                        ns,
                        "fdb",
                        "append",
                        "00:00:00:00:00:00",
                        "dev",
                        "vx0",
                        "dst",
                        "127.0.0.1",
                        "port",
                        String.valueOf(socket.getLocalPort()),
                        "self",
                        "permanent");
                Kernel.run("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", "10.99.0.2");
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return -1;
                }
                byte[] b = packet.getData();
                return ((b[4] & 0xff) << 16) | ((b[5] & 0xff) << 8) | (b[6] & 0xff);
            }
        });
    }

    @Test
    @DisplayName("switched off, the frame reaches the socket with the device's VNI")
    void switchedOff() throws Exception {
        Assumptions.assumeTrue(kernelAtLeast(6, 5), "the setting needs Linux 6.5 or later");
        thread.call(() -> {
            VxlanLocalBypass.switchOff("vx0");
            return null;
        });
        assertThat(receivedVni()).isEqualTo(VNI);
    }

    @Test
    @DisplayName("twin: with the bypass on (the default), nothing reaches the socket")
    void bypassOn() throws Exception {
        assertThat(receivedVni()).isEqualTo(-1);
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] parts = System.getProperty("os.version").split("[.-]");
        int maj = Integer.parseInt(parts[0]);
        int min = Integer.parseInt(parts[1]);
        return maj > major || (maj == major && min >= minor);
    }
}
