package dev.netnslab.internal.netns;

import com.sun.jna.LastErrorException;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.iproute.LinkState;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of every interface of the calling thread's network namespace, read from the kernel
 * over one rtnetlink socket (a link dump and an IPv6 address dump), as {@code ip -d link} and
 * {@code ip -6 addr} would print it, without a process. Called on a {@link NamespaceThread}: a
 * netlink socket belongs to the namespace of the thread that opens it.
 */
public final class RouteNetlink {

    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_DUMP = 0x300;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_OPERSTATE = 16;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_SLAVE_KIND = 4;
    static final int IFLA_INFO_SLAVE_DATA = 5;
    static final int IFLA_BRPORT_STATE = 1;
    static final int IFA_ADDRESS = 1;
    static final int IFA_FLAGS = 8;
    static final int IFF_UP = 0x1;
    static final int IFF_LOWER_UP = 0x10000;
    static final int IFA_F_DADFAILED = 0x08;
    static final int IFA_F_TENTATIVE = 0x40;

    private static final String[] OPERSTATES = {
        "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"
    };
    private static final String[] PORT_STATES = {"disabled", "listening", "learning", "forwarding", "blocking"};

    private RouteNetlink() {}

    /**
     * Reads the interfaces of the calling thread's namespace, by name.
     *
     * @throws NetnsLabException when the kernel refuses the socket or a dump
     */
    public static Map<String, LinkState> read() {
        int fd;
        try {
            fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            throw new NetnsLabException("Cannot open a netlink socket to read the interfaces: " + e.getMessage(), e);
        }
        try {
            byte[] links = dump(fd, request(RTM_GETLINK, 1, 0, 16));
            byte[] addresses = dump(fd, request(RTM_GETADDR, 2, Libc.AF_INET6, 8));
            return parse(links, addresses);
        } finally {
            Libc.close(fd);
        }
    }

    /** A dump request: the header and a zeroed family message of {@code bodyLength} bytes. */
    static byte[] request(int type, int seq, int family, int bodyLength) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + bodyLength).order(ByteOrder.nativeOrder());
        buffer.putInt(16 + bodyLength)
                .putShort((short) type)
                .putShort((short) (NLM_F_REQUEST | NLM_F_DUMP))
                .putInt(seq)
                .putInt(0);
        buffer.put((byte) family);
        return buffer.array();
    }

    private static byte[] dump(int fd, byte[] request) {
        try {
            Libc.send(fd, request, request.length, 0);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[65536];
            while (true) {
                int n = (int) Libc.recv(fd, buffer, buffer.length, 0);
                all.write(buffer, 0, n);
                if (n <= 0 || endsDump(buffer, n)) {
                    return all.toByteArray();
                }
            }
        } catch (LastErrorException e) {
            throw new NetnsLabException("Reading the interfaces over netlink failed: " + e.getMessage(), e);
        }
    }

    /** Whether the messages in the first {@code n} bytes of {@code buffer} include the end of the dump. */
    private static boolean endsDump(byte[] buffer, int n) {
        ByteBuffer messages = ByteBuffer.wrap(buffer, 0, n).order(ByteOrder.nativeOrder());
        int at = 0;
        while (at + 16 <= n) {
            int length = messages.getInt(at);
            int type = messages.getShort(at + 4) & 0xffff;
            if (type == NLMSG_DONE || type == NLMSG_ERROR) {
                return true;
            }
            if (length < 16) {
                return true;
            }
            at += align(length);
        }
        return false;
    }

    /** Parses a link dump and an address dump (pure: the bytes as the kernel sent them, in this machine's order). */
    static Map<String, LinkState> parse(byte[] links, byte[] addresses) {
        Map<Integer, LinkState.Builder> byIndex = new LinkedHashMap<>();
        for (ByteBuffer message : messages(links)) {
            if ((message.getShort(4) & 0xffff) != RTM_NEWLINK) {
                continue;
            }
            int index = message.getInt(16 + 4);
            int flags = message.getInt(16 + 8);
            String name = null;
            String operstate = "UNKNOWN";
            String portState = null;
            String kind = null;
            for (Attribute attribute : attributes(message, 32, message.limit())) {
                switch (attribute.type()) {
                    case IFLA_IFNAME -> name = string(message, attribute);
                    case IFLA_OPERSTATE -> operstate = named(OPERSTATES, message.get(attribute.start()), "operstate");
                    case IFLA_LINKINFO -> {
                        portState = portState(message, attribute);
                        kind = kind(message, attribute);
                    }
                    default -> {}
                }
            }
            if (name == null) {
                continue;
            }
            List<String> flagNames = new ArrayList<>();
            if ((flags & IFF_UP) != 0) {
                flagNames.add("UP");
                if ((flags & IFF_LOWER_UP) == 0) {
                    flagNames.add("NO-CARRIER");
                }
            }
            if ((flags & IFF_LOWER_UP) != 0) {
                flagNames.add("LOWER_UP");
            }
            byIndex.put(
                    index,
                    new LinkState.Builder(name)
                            .flags(flagNames)
                            .operstate(operstate)
                            .portState(portState)
                            .kind(kind));
        }
        for (ByteBuffer message : messages(addresses)) {
            if ((message.getShort(4) & 0xffff) != RTM_NEWADDR) {
                continue;
            }
            int prefix = message.get(16 + 1) & 0xff;
            int flags = message.get(16 + 2) & 0xff;
            int index = message.getInt(16 + 4);
            String address = null;
            for (Attribute attribute : attributes(message, 24, message.limit())) {
                if (attribute.type() == IFA_FLAGS && attribute.length() >= 4) {
                    flags = message.getInt(attribute.start());
                } else if (attribute.type() == IFA_ADDRESS && attribute.length() == 16) {
                    byte[] bytes = new byte[16];
                    message.get(attribute.start(), bytes);
                    address = ipv6(bytes) + "/" + prefix;
                }
            }
            LinkState.Builder link = byIndex.get(index);
            if (link != null && address != null) {
                link.address(address, (flags & IFA_F_TENTATIVE) != 0, (flags & IFA_F_DADFAILED) != 0);
            }
        }
        Map<String, LinkState> result = new LinkedHashMap<>();
        byIndex.values().forEach(builder -> {
            LinkState state = builder.build();
            result.put(state.name(), state);
        });
        return result;
    }

    private static String kind(ByteBuffer message, Attribute linkInfo) {
        for (Attribute info : attributes(message, linkInfo.start(), linkInfo.start() + linkInfo.length())) {
            if (info.type() == IFLA_INFO_KIND) {
                return string(message, info);
            }
        }
        return null;
    }

    private static String portState(ByteBuffer message, Attribute linkInfo) {
        String slaveKind = null;
        String state = null;
        for (Attribute info : attributes(message, linkInfo.start(), linkInfo.start() + linkInfo.length())) {
            if (info.type() == IFLA_INFO_SLAVE_KIND) {
                slaveKind = string(message, info);
            } else if (info.type() == IFLA_INFO_SLAVE_DATA) {
                for (Attribute data : attributes(message, info.start(), info.start() + info.length())) {
                    if (data.type() == IFLA_BRPORT_STATE) {
                        state = named(PORT_STATES, message.get(data.start()), "port state");
                    }
                }
            }
        }
        return "bridge".equals(slaveKind) ? state : null;
    }

    private record Attribute(int type, int start, int length) {}

    /** The netlink messages in {@code bytes}, each as a buffer from its header to its end. */
    private static List<ByteBuffer> messages(byte[] bytes) {
        List<ByteBuffer> result = new ArrayList<>();
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int at = 0;
        while (at + 16 <= bytes.length) {
            int length = all.getInt(at);
            int type = all.getShort(at + 4) & 0xffff;
            if (length < 16 || at + length > bytes.length) {
                break;
            }
            if (type == NLMSG_ERROR) {
                int error = all.getInt(at + 16);
                if (error != 0) {
                    throw new NetnsLabException("The kernel refused a netlink dump of the interfaces: error " + -error);
                }
            }
            result.add(ByteBuffer.wrap(bytes, at, length).slice().order(ByteOrder.nativeOrder()));
            at += align(length);
        }
        return result;
    }

    private static List<Attribute> attributes(ByteBuffer message, int from, int to) {
        List<Attribute> result = new ArrayList<>();
        int at = from;
        while (at + 4 <= to) {
            int length = message.getShort(at) & 0xffff;
            int type = message.getShort(at + 2) & 0x3fff;
            if (length < 4 || at + length > to) {
                break;
            }
            result.add(new Attribute(type, at + 4, length - 4));
            at += align(length);
        }
        return result;
    }

    private static String string(ByteBuffer message, Attribute attribute) {
        byte[] bytes = new byte[attribute.length()];
        message.get(attribute.start(), bytes);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static String named(String[] names, byte value, String what) {
        int i = value & 0xff;
        return i < names.length ? names[i] : what + " " + i;
    }

    private static String ipv6(byte[] bytes) {
        try {
            return java.net.InetAddress.getByAddress(bytes).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }
}
