package dev.netnslab.internal.netns;

import com.sun.jna.LastErrorException;
import dev.netnslab.NetnsLabException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Switches off a VXLAN device's local bypass, over rtnetlink, in the calling thread's network
 * namespace (call it on a {@link NamespaceThread}). Linux hands a packet that a VXLAN device sends to
 * an address of its own kernel straight to that kernel's VXLAN device of the same VNI and port, and
 * drops it when there is none; without the bypass ({@code IFLA_VXLAN_LOCALBYPASS} 0, Linux 6.5 and
 * later) it is sent as UDP, so that a process of the kernel receives it: how a tunnel reaches a VM
 * through a UDP port that qemu forwards from this machine's loopback. iproute2 6.1 has no keyword
 * for it ({@code nolocalbypass} came with 6.5), so the request is made here.
 */
public final class VxlanLocalBypass {

    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int NLMSG_ERROR = 2;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_VXLAN_LOCALBYPASS = 31;

    private VxlanLocalBypass() {}

    /**
     * Switches the bypass of VXLAN device {@code iface} off, then reads it back.
     *
     * @throws NetnsLabException when the kernel refuses, or keeps the bypass on (a kernel before Linux 6.5, which
     *                           does not know the setting)
     */
    public static void switchOff(String iface) {
        int fd;
        try {
            fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            throw new NetnsLabException(
                    "Cannot open a netlink socket to configure " + iface + ": " + e.getMessage(), e);
        }
        try {
            int error = set(iface).exchange(fd);
            if (error != 0) {
                throw new NetnsLabException("The kernel refused to switch off the local bypass of VXLAN device " + iface
                        + ": error " + error + " (errno)");
            }
            Optional<Boolean> bypass;
            try {
                bypass = localBypass(get(iface).answer(fd));
            } catch (LastErrorException e) {
                throw new NetnsLabException("A netlink request failed: " + e.getMessage(), e);
            }
            if (bypass.isEmpty() || bypass.get()) {
                throw new NetnsLabException("The kernel kept the local bypass of VXLAN device " + iface
                        + " on: it needs Linux 6.5 or later (this one is " + System.getProperty("os.version")
                        + ") to send a tunnel's packets to a port of its own loopback address");
            }
        } finally {
            Libc.close(fd);
        }
    }

    /** {@code RTM_NEWLINK} for the device named {@code iface}, with its VXLAN data holding only the bypass, off. */
    static byte[] setRequest(String iface) {
        return set(iface).toBytes();
    }

    /** {@code RTM_GETLINK} for the device named {@code iface}. */
    static byte[] getRequest(String iface) {
        return get(iface).toBytes();
    }

    private static NetlinkRequest set(String iface) {
        NetlinkRequest request =
                new NetlinkRequest(RTM_NEWLINK, NetlinkRequest.NLM_F_REQUEST | NetlinkRequest.NLM_F_ACK, 1);
        request.ifinfo(0, 0, 0).string(IFLA_IFNAME, iface);
        int linkInfo = request.begin(IFLA_LINKINFO);
        request.string(IFLA_INFO_KIND, "vxlan");
        int data = request.begin(IFLA_INFO_DATA);
        request.u8(IFLA_VXLAN_LOCALBYPASS, 0);
        request.end(data);
        request.end(linkInfo);
        return request;
    }

    private static NetlinkRequest get(String iface) {
        return new NetlinkRequest(RTM_GETLINK, NetlinkRequest.NLM_F_REQUEST, 2)
                .ifinfo(0, 0, 0)
                .string(IFLA_IFNAME, iface);
    }

    /**
     * The device's local bypass as its {@code RTM_NEWLINK} reply says; empty when the reply does not
     * say (a kernel that does not know the setting).
     */
    static Optional<Boolean> localBypass(byte[] reply) {
        ByteBuffer message = ByteBuffer.wrap(reply).order(ByteOrder.nativeOrder());
        if (reply.length < 32 || (message.getShort(4) & 0xffff) != RTM_NEWLINK) {
            if (reply.length >= 20 && (message.getShort(4) & 0xffff) == NLMSG_ERROR) {
                throw new NetnsLabException("The kernel could not find the VXLAN device: error " + -message.getInt(16));
            }
            return Optional.empty();
        }
        int end = Math.min(message.getInt(0), reply.length);
        for (int at = 32; at + 4 <= end; ) {
            int length = message.getShort(at) & 0xffff;
            int type = message.getShort(at + 2) & 0x3fff;
            if (length < 4) {
                break;
            }
            if (type == IFLA_LINKINFO) {
                for (int info = at + 4; info + 4 <= at + length; ) {
                    int infoLength = message.getShort(info) & 0xffff;
                    if (infoLength < 4) {
                        break;
                    }
                    if ((message.getShort(info + 2) & 0x3fff) == IFLA_INFO_DATA) {
                        for (int data = info + 4; data + 4 <= info + infoLength; ) {
                            int dataLength = message.getShort(data) & 0xffff;
                            if (dataLength < 4) {
                                break;
                            }
                            if ((message.getShort(data + 2) & 0x3fff) == IFLA_VXLAN_LOCALBYPASS && dataLength >= 5) {
                                return Optional.of(message.get(data + 4) != 0);
                            }
                            data += align(dataLength);
                        }
                    }
                    info += align(infoLength);
                }
            }
            at += align(length);
        }
        return Optional.empty();
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }
}
