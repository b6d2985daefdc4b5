package dev.netnslab.internal.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.iproute.LinkState;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The netlink dumps as the kernel sends them, built by hand: no socket, no root. */
@DisplayName("RouteNetlink reads link and address dumps")
class RouteNetlinkTest {

    @Test
    @DisplayName("flags, operstate, bridge port state and tentative IPv6 addresses, by interface name")
    void parsesDumps() {
        byte[] links = concat(
                link(1, "lo", 0x1 | 0x10000, 0, null),
                link(3, "veth-srv", 0x1, 3, (byte) 0),
                link(4, "eth0", 0x1 | 0x10000, 6, (byte) 3),
                done());
        byte[] addresses = concat(address(3, 0x40, 0x40), address(4, 0, 0x08 | 0x40), done());

        Map<String, LinkState> states = RouteNetlink.parse(links, addresses);

        assertThat(states).containsOnlyKeys("lo", "veth-srv", "eth0");
        LinkState port = states.get("veth-srv");
        assertThat(port.flags()).containsExactly("UP", "NO-CARRIER");
        assertThat(port.operstate()).isEqualTo("LOWERLAYERDOWN");
        assertThat(port.portState()).isEqualTo("disabled");
        assertThat(port.tentative()).containsExactly("fe80:0:0:0:0:0:0:1/64");
        assertThat(port.notReady(false)).isEqualTo("it has no carrier, as a bridge port it is disabled");
        LinkState eth0 = states.get("eth0");
        assertThat(eth0.notReady(false)).isNull();
        assertThat(eth0.portState()).isEqualTo("forwarding");
        assertThat(eth0.dadFailed()).containsExactly("fe80:0:0:0:0:0:0:1/64");
        assertThat(states.get("lo").operstate()).isEqualTo("UNKNOWN");
        assertThat(states.get("lo").portState()).isNull();
        assertThat(eth0.kind()).isEqualTo("veth");
        assertThat(states.get("lo").kind()).isNull();
    }

    @Test
    @DisplayName("an error the kernel answers with becomes an exception that says so")
    void error() {
        ByteBuffer message = header(20, RouteNetlink.NLMSG_ERROR);
        message.putInt(-13);
        assertThatThrownBy(() -> RouteNetlink.parse(message.array(), new byte[0]))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("error 13");
    }

    @Test
    @DisplayName("a request asks for a dump of the given family")
    void request() {
        ByteBuffer request = ByteBuffer.wrap(RouteNetlink.request(RouteNetlink.RTM_GETADDR, 7, 10, 8))
                .order(ByteOrder.nativeOrder());
        assertThat(request.capacity()).isEqualTo(24);
        assertThat(request.getInt(0)).isEqualTo(24);
        assertThat(request.getShort(4)).isEqualTo((short) RouteNetlink.RTM_GETADDR);
        assertThat(request.getShort(6)).isEqualTo((short) 0x301);
        assertThat(request.getInt(8)).isEqualTo(7);
        assertThat(request.get(16)).isEqualTo((byte) 10);
    }

    private static byte[] link(int index, String name, int flags, int operstate, Byte portState) {
        ByteArrayOutputStream attributes = new ByteArrayOutputStream();
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        attributes.writeBytes(attribute(RouteNetlink.IFLA_IFNAME, nameBytes));
        attributes.writeBytes(attribute(RouteNetlink.IFLA_OPERSTATE, new byte[] {(byte) operstate}));
        if (portState != null) {
            byte[] data = attribute(RouteNetlink.IFLA_BRPORT_STATE, new byte[] {portState});
            byte[] info = concat(
                    attribute(RouteNetlink.IFLA_INFO_KIND, "veth\0".getBytes(StandardCharsets.UTF_8)),
                    attribute(RouteNetlink.IFLA_INFO_SLAVE_KIND, "bridge\0".getBytes(StandardCharsets.UTF_8)),
                    attribute(RouteNetlink.IFLA_INFO_SLAVE_DATA | 0x8000, data));
            attributes.writeBytes(attribute(RouteNetlink.IFLA_LINKINFO | 0x8000, info));
        }
        byte[] attrs = attributes.toByteArray();
        ByteBuffer message = header(32 + attrs.length, RouteNetlink.RTM_NEWLINK);
        message.put((byte) 0)
                .put((byte) 0)
                .putShort((short) 1)
                .putInt(index)
                .putInt(flags)
                .putInt(0);
        message.put(attrs);
        return message.array();
    }

    private static byte[] address(int index, int flags, int extendedFlags) {
        byte[] ip = new byte[16];
        ip[0] = (byte) 0xfe;
        ip[1] = (byte) 0x80;
        ip[15] = 1;
        byte[] attrs = concat(
                attribute(RouteNetlink.IFA_ADDRESS, ip),
                attribute(
                        RouteNetlink.IFA_FLAGS,
                        ByteBuffer.allocate(4)
                                .order(ByteOrder.nativeOrder())
                                .putInt(extendedFlags)
                                .array()));
        ByteBuffer message = header(24 + attrs.length, RouteNetlink.RTM_NEWADDR);
        message.put((byte) 10).put((byte) 64).put((byte) flags).put((byte) 0).putInt(index);
        message.put(attrs);
        return message.array();
    }

    private static byte[] done() {
        ByteBuffer message = header(20, RouteNetlink.NLMSG_DONE);
        message.putInt(0);
        return message.array();
    }

    private static ByteBuffer header(int length, int type) {
        ByteBuffer buffer = ByteBuffer.allocate((length + 3) & ~3).order(ByteOrder.nativeOrder());
        buffer.putInt(length)
                .putShort((short) type)
                .putShort((short) 2)
                .putInt(1)
                .putInt(0);
        return buffer;
    }

    private static byte[] attribute(int type, byte[] payload) {
        int length = 4 + payload.length;
        ByteBuffer buffer = ByteBuffer.allocate((length + 3) & ~3).order(ByteOrder.nativeOrder());
        buffer.putShort((short) length).putShort((short) type).put(payload);
        return buffer.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
