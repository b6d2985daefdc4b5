package dev.netnslab.internal.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("VxlanLocalBypass: the netlink messages (pure)")
class VxlanLocalBypassTest {

    /** The set request, turned into the reply a kernel that knows the setting sends for GETLINK. */
    private static byte[] replyOf(byte[] request) {
        ByteBuffer reply = ByteBuffer.wrap(request.clone()).order(ByteOrder.nativeOrder());
        reply.putShort(4, (short) VxlanLocalBypass.RTM_NEWLINK);
        return reply.array();
    }

    @Test
    @DisplayName("the request names the device and carries IFLA_VXLAN_LOCALBYPASS 0 inside its VXLAN data")
    void request() {
        byte[] request = VxlanLocalBypass.setRequest("eth0");
        ByteBuffer buffer = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder());
        assertThat(buffer.getInt(0)).isEqualTo(request.length);
        assertThat(buffer.getShort(4)).isEqualTo((short) VxlanLocalBypass.RTM_NEWLINK);
        assertThat(new String(request, 36, 4)).isEqualTo("eth0");
        assertThat(VxlanLocalBypass.localBypass(replyOf(request))).contains(false);
    }

    @Test
    @DisplayName("a reply without the setting (a kernel before 6.5) says nothing")
    void replies() {
        byte[] bare = replyOf(VxlanLocalBypass.getRequest("eth0"));
        assertThat(VxlanLocalBypass.localBypass(bare)).isEmpty();
    }
}
