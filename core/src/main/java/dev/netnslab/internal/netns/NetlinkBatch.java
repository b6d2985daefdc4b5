package dev.netnslab.internal.netns;

import com.sun.jna.LastErrorException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The common lines of a namespace's {@code ip -batch} script, done over one rtnetlink socket of
 * the calling thread instead of by an {@code ip} process: {@code link set lo up}, {@code link set
 * dev IF up}, {@code link set dev IF mtu N}, {@code link set dev IF addrgenmode none}, {@code link
 * add name BR type bridge}, {@code link set dev IF master BR}, {@code addr add CIDR dev IF [nodad]
 * [noprefixroute]} and {@code route add DEST [via GW] [dev IF]}. A script
 * with any other line is not taken at all ({@link #parse} is empty), so it runs whole as a process,
 * as before. Like {@code ip -batch}, the first failing line ends the run, and the failure reads as
 * {@code ip}'s would: {@code RTNETLINK answers: File exists} and {@code Command failed -:LINE}.
 *
 * <p>Called on a {@link NamespaceThread}: a netlink socket belongs to the namespace of the thread
 * that opens it.
 */
public final class NetlinkBatch {

    private static final int RTM_NEWLINK = 16;
    private static final int RTM_NEWADDR = 20;
    private static final int RTM_NEWROUTE = 24;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFLA_MASTER = 10;
    private static final int IFLA_AF_SPEC = 26;
    private static final int IFLA_INET6_ADDR_GEN_MODE = 8;
    private static final int IN6_ADDR_GEN_MODE_NONE = 1;
    private static final int IFLA_LINKINFO = 18;
    private static final int IFLA_INFO_KIND = 1;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int IFA_FLAGS = 8;
    private static final int IFA_F_NODAD = 0x02;
    private static final int IFA_F_NOPREFIXROUTE = 0x200;
    private static final int RTA_DST = 1;
    private static final int RTA_OIF = 4;
    private static final int RTA_GATEWAY = 5;
    private static final int RT_TABLE_MAIN = 254;
    private static final int RTPROT_BOOT = 3;
    private static final int RT_SCOPE_UNIVERSE = 0;
    private static final int RT_SCOPE_LINK = 253;
    private static final int RT_SCOPE_HOST = 254;
    private static final int RTN_UNICAST = 1;
    private static final int IFF_UP = 0x1;
    private static final int ENODEV = 19;
    /** Interface names as the kernel takes them: 1-15 bytes, no slash, colon or blank. */
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");

    private final List<Op> ops;

    private NetlinkBatch(List<Op> ops) {
        this.ops = ops;
    }

    /**
     * The script as netlink requests, or empty when a line is not one of the forms this class
     * does (the caller then runs the script with {@code ip}).
     */
    public static Optional<NetlinkBatch> parse(List<String> lines) {
        List<Op> ops = new ArrayList<>();
        for (String line : lines) {
            Op op = op(line.strip().split("\\s+"));
            if (op == null) {
                return Optional.empty();
            }
            ops.add(op);
        }
        return Optional.of(new NetlinkBatch(List.copyOf(ops)));
    }

    /** How many lines the script has. */
    public int size() {
        return ops.size();
    }

    /**
     * Sends the requests in order over a netlink socket of the calling thread's namespace, each
     * acknowledged before the next.
     *
     * @return empty when every line was done; else what {@code ip -batch} would have printed on its
     *         standard error for the first line that failed
     */
    public Optional<String> run() {
        int fd;
        try {
            fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        } catch (LastErrorException e) {
            return Optional.of(
                    "Cannot open a netlink socket: " + Libc.describe(e.getErrorCode()) + "\nCommand failed -:1\n");
        }
        try {
            for (int i = 0; i < ops.size(); i++) {
                int error = ops.get(i).send(fd, i + 1);
                if (error != 0) {
                    return Optional.of(
                            "RTNETLINK answers: " + Libc.describe(error) + "\nCommand failed -:" + (i + 1) + "\n");
                }
            }
            return Optional.empty();
        } finally {
            Libc.close(fd);
        }
    }

    private static Op op(String[] words) {
        if (words.length == 4
                && words[0].equals("link")
                && words[1].equals("set")
                && words[2].equals("lo")
                && words[3].equals("up")) {
            return new Up("lo");
        }
        if (words.length >= 5
                && words[0].equals("link")
                && words[1].equals("set")
                && words[2].equals("dev")
                && isName(words[3])) {
            return linkSet(words[3], List.of(words).subList(4, words.length));
        }
        if (words.length == 6
                && words[0].equals("link")
                && words[1].equals("add")
                && words[2].equals("name")
                && words[4].equals("type")
                && words[5].equals("bridge")
                && isName(words[3])) {
            return new Bridge(words[3]);
        }
        if (words.length >= 5
                && words[0].equals("addr")
                && words[1].equals("add")
                && words[3].equals("dev")
                && isName(words[4])) {
            return address(words);
        }
        if (words.length >= 3 && words[0].equals("route") && words[1].equals("add")) {
            return route(words);
        }
        return null;
    }

    /** {@code link set dev IF} followed by {@code up}, {@code addrgenmode none}, {@code mtu N} or {@code master BR}. */
    private static Op linkSet(String name, List<String> rest) {
        if (rest.equals(List.of("up"))) {
            return new Up(name);
        }
        if (rest.size() != 2) {
            return null;
        }
        String value = rest.get(1);
        return switch (rest.get(0)) {
            case "addrgenmode" -> value.equals("none") ? new NoAddrGen(name) : null;
            case "mtu" -> value.matches("[0-9]{2,5}") ? new Mtu(name, Integer.parseInt(value)) : null;
            case "master" -> isName(value) ? new Master(name, value) : null;
            default -> null;
        };
    }

    private static Op address(String[] words) {
        Cidr cidr = Cidr.parse(words[2]);
        if (cidr == null) {
            return null;
        }
        int flags = 0;
        for (int i = 5; i < words.length; i++) {
            switch (words[i]) {
                case "nodad" -> flags |= IFA_F_NODAD;
                case "noprefixroute" -> flags |= IFA_F_NOPREFIXROUTE;
                default -> {
                    return null;
                }
            }
        }
        if ((flags & IFA_F_NODAD) != 0 && cidr.address() instanceof Inet4Address) {
            return null; // ip refuses nodad for IPv4; let it say so
        }
        return new Address(cidr, words[4], flags);
    }

    private static Op route(String[] words) {
        Cidr destination = words[2].equals("default") ? null : Cidr.parse(words[2]);
        if (destination == null && !words[2].equals("default")) {
            return null;
        }
        InetAddress via = null;
        String dev = null;
        for (int i = 3; i < words.length; i += 2) {
            if (i + 1 >= words.length) {
                return null;
            }
            switch (words[i]) {
                case "via" -> {
                    if (via != null) {
                        return null;
                    }
                    via = literal(words[i + 1]);
                    if (via == null) {
                        return null;
                    }
                }
                case "dev" -> {
                    if (dev != null || !isName(words[i + 1])) {
                        return null;
                    }
                    dev = words[i + 1];
                }
                default -> {
                    return null;
                }
            }
        }
        boolean ipv6 =
                destination != null ? destination.address() instanceof Inet6Address : via instanceof Inet6Address;
        if (via != null && (via instanceof Inet6Address) != ipv6) {
            return null; // a next hop of the other family: ip's "via inet6" form, left to ip
        }
        if (via == null && dev == null) {
            return null;
        }
        return new RouteOp(destination, ipv6, via, dev);
    }

    private static boolean isName(String word) {
        return IFNAME.matcher(word).matches() && !word.equals(".") && !word.equals("..");
    }

    /** An IP literal; never a host name, so never a DNS lookup. */
    static InetAddress literal(String text) {
        boolean ipv4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = text.contains(":") && text.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        if (ipv4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address with a prefix length: {@code 10.0.0.1/24}; without one, a host prefix. */
    record Cidr(InetAddress address, int length) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                return null;
            }
            int max = address.getAddress().length * 8;
            int length = max;
            if (slash >= 0) {
                String digits = text.substring(slash + 1);
                if (!digits.matches("\\d{1,3}")) {
                    return null;
                }
                length = Integer.parseInt(digits);
                if (length > max) {
                    return null;
                }
            }
            return new Cidr(address, length);
        }

        int family() {
            return address instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET;
        }
    }

    private interface Op {
        /** Sends the request and returns 0, or the errno of the kernel's answer. */
        int send(int fd, int seq);
    }

    private record Up(String name) implements Op {
        @Override
        public int send(int fd, int seq) {
            NetlinkRequest message =
                    new NetlinkRequest(RTM_NEWLINK, NetlinkRequest.NLM_F_REQUEST | NetlinkRequest.NLM_F_ACK, seq);
            message.ifinfo(0, IFF_UP, IFF_UP).string(IFLA_IFNAME, name);
            return message.exchange(fd);
        }
    }

    /** {@code link set dev IF addrgenmode none}: the kernel makes no IPv6 link-local address of its own. */
    private record NoAddrGen(String name) implements Op {
        @Override
        public int send(int fd, int seq) {
            NetlinkRequest message =
                    new NetlinkRequest(RTM_NEWLINK, NetlinkRequest.NLM_F_REQUEST | NetlinkRequest.NLM_F_ACK, seq);
            message.ifinfo(0, 0, 0).string(IFLA_IFNAME, name);
            int spec = message.begin(IFLA_AF_SPEC);
            int inet6 = message.begin(Libc.AF_INET6);
            message.u8(IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
            message.end(inet6);
            message.end(spec);
            return message.exchange(fd);
        }
    }

    private record Mtu(String name, int mtu) implements Op {
        @Override
        public int send(int fd, int seq) {
            NetlinkRequest message =
                    new NetlinkRequest(RTM_NEWLINK, NetlinkRequest.NLM_F_REQUEST | NetlinkRequest.NLM_F_ACK, seq);
            message.ifinfo(0, 0, 0).string(IFLA_IFNAME, name).u32(IFLA_MTU, mtu);
            return message.exchange(fd);
        }
    }

    private record Bridge(String name) implements Op {
        @Override
        public int send(int fd, int seq) {
            NetlinkRequest message = new NetlinkRequest(RTM_NEWLINK, NetlinkRequest.CREATE_NEW, seq);
            message.ifinfo(0, 0, 0).string(IFLA_IFNAME, name);
            int nest = message.begin(IFLA_LINKINFO);
            message.string(IFLA_INFO_KIND, "bridge");
            message.end(nest);
            return message.exchange(fd);
        }
    }

    private record Master(String name, String master) implements Op {
        @Override
        public int send(int fd, int seq) {
            int index = index(master);
            if (index < 0) {
                return -index;
            }
            NetlinkRequest message =
                    new NetlinkRequest(RTM_NEWLINK, NetlinkRequest.NLM_F_REQUEST | NetlinkRequest.NLM_F_ACK, seq);
            message.ifinfo(0, 0, 0).string(IFLA_IFNAME, name).u32(IFLA_MASTER, index);
            return message.exchange(fd);
        }
    }

    private record Address(Cidr cidr, String dev, int flags) implements Op {
        @Override
        public int send(int fd, int seq) {
            int index = index(dev);
            if (index < 0) {
                return -index;
            }
            byte[] bytes = cidr.address().getAddress();
            int scope = bytes.length == 4 && (bytes[0] & 0xff) == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
            NetlinkRequest message = new NetlinkRequest(RTM_NEWADDR, NetlinkRequest.CREATE_NEW, seq);
            message.buffer
                    .put((byte) cidr.family())
                    .put((byte) cidr.length())
                    .put((byte) (flags & 0xff))
                    .put((byte) scope)
                    .putInt(index);
            message.bytes(IFA_LOCAL, bytes).bytes(IFA_ADDRESS, bytes);
            if (flags > 0xff) {
                message.u32(IFA_FLAGS, flags);
            }
            return message.exchange(fd);
        }
    }

    private record RouteOp(Cidr destination, boolean ipv6, InetAddress via, String dev) implements Op {
        @Override
        public int send(int fd, int seq) {
            int index = 0;
            if (dev != null) {
                index = index(dev);
                if (index < 0) {
                    return -index;
                }
            }
            int length = destination == null ? 0 : destination.length();
            // As ip does: a route without a gateway is on the link, one with a gateway goes beyond it.
            int scope = via == null && !ipv6 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
            NetlinkRequest message = new NetlinkRequest(RTM_NEWROUTE, NetlinkRequest.CREATE_NEW, seq);
            message.buffer
                    .put((byte) (ipv6 ? Libc.AF_INET6 : Libc.AF_INET))
                    .put((byte) length)
                    .put((byte) 0)
                    .put((byte) 0)
                    .put((byte) RT_TABLE_MAIN)
                    .put((byte) RTPROT_BOOT)
                    .put((byte) scope)
                    .put((byte) RTN_UNICAST)
                    .putInt(0);
            if (length > 0) {
                message.bytes(RTA_DST, masked(destination));
            }
            if (via != null) {
                message.bytes(RTA_GATEWAY, via.getAddress());
            }
            if (index > 0) {
                message.u32(RTA_OIF, index);
            }
            return message.exchange(fd);
        }
    }

    /** The destination with the host bits cleared, as the kernel wants it (ip does the same). */
    static byte[] masked(Cidr cidr) {
        byte[] bytes = cidr.address().getAddress();
        for (int bit = cidr.length(); bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return bytes;
    }

    /** The index of interface {@code name} in the calling thread's namespace, or minus errno. */
    private static int index(String name) {
        int index = Libc.if_nametoindex(name);
        return index == 0 ? -ENODEV : index;
    }
}
