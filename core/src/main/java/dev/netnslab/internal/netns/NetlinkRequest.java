package dev.netnslab.internal.netns;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One rtnetlink request being written: the header, a family message and attributes (nested ones
 * too), then sent over a socket of the calling thread's namespace. The requests this package makes
 * ({@link NetlinkBatch}, {@link VxlanLocalBypass}) are built here; {@link RouteNetlink} reads dumps.
 */
final class NetlinkRequest {

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    /** A request that creates something, refused when it exists already, and acknowledged. */
    static final int CREATE_NEW = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;

    static final int NLA_F_NESTED = 0x8000;

    final ByteBuffer buffer = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());
    private final int seq;

    NetlinkRequest(int type, int flags, int seq) {
        this.seq = seq;
        buffer.putInt(0)
                .putShort((short) type)
                .putShort((short) flags)
                .putInt(seq)
                .putInt(0);
    }

    /** A {@code struct ifinfomsg}: family and type 0, the index (0: the name picks the device), flags and the change mask. */
    NetlinkRequest ifinfo(int index, int flags, int change) {
        buffer.put((byte) 0)
                .put((byte) 0)
                .putShort((short) 0)
                .putInt(index)
                .putInt(flags)
                .putInt(change);
        return this;
    }

    NetlinkRequest string(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        byte[] withNul = new byte[text.length + 1];
        System.arraycopy(text, 0, withNul, 0, text.length);
        return bytes(type, withNul);
    }

    NetlinkRequest u32(int type, int value) {
        buffer.putShort((short) 8).putShort((short) type).putInt(value);
        return this;
    }

    NetlinkRequest u8(int type, int value) {
        return bytes(type, new byte[] {(byte) value});
    }

    NetlinkRequest bytes(int type, byte[] value) {
        buffer.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        pad();
        return this;
    }

    /** Opens a nested attribute; returns where it starts, for {@link #end(int)}. */
    int begin(int type) {
        int start = buffer.position();
        buffer.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
        return start;
    }

    void end(int start) {
        buffer.putShort(start, (short) (buffer.position() - start));
    }

    private void pad() {
        while (buffer.position() % 4 != 0) {
            buffer.put((byte) 0);
        }
    }

    /** The request as it is sent, its length written in. */
    byte[] toBytes() {
        int length = buffer.position();
        buffer.putInt(0, length);
        byte[] request = new byte[length];
        buffer.get(0, request);
        return request;
    }

    /** Sends the request and reads the kernel's acknowledgement: 0, or its errno. */
    int exchange(int fd) {
        byte[] request = toBytes();
        try {
            Libc.send(fd, request, request.length, 0);
            byte[] answer = new byte[8192];
            while (true) {
                int read = (int) Libc.recv(fd, answer, answer.length, 0);
                ByteBuffer in = ByteBuffer.wrap(answer, 0, read).order(ByteOrder.nativeOrder());
                int offset = 0;
                while (offset + 16 <= read) {
                    int size = in.getInt(offset);
                    int type = in.getShort(offset + 4) & 0xffff;
                    int answerSeq = in.getInt(offset + 8);
                    if (type == RouteNetlink.NLMSG_ERROR && answerSeq == seq) {
                        return -in.getInt(offset + 16);
                    }
                    if (size < 16) {
                        break;
                    }
                    offset += (size + 3) & ~3;
                }
            }
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    /** Sends the request and returns the kernel's first answer, as received. */
    byte[] answer(int fd) {
        byte[] request = toBytes();
        Libc.send(fd, request, request.length, 0);
        byte[] buffer = new byte[65536];
        int n = (int) Libc.recv(fd, buffer, buffer.length, 0);
        byte[] answer = new byte[Math.max(n, 0)];
        System.arraycopy(buffer, 0, answer, 0, answer.length);
        return answer;
    }
}
