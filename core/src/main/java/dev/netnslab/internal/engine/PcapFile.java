package dev.netnslab.internal.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads just enough of a classic libpcap file to check it and count its packets. Pure: works on
 * bytes. The format: a 24-byte global header starting with the magic number {@code a1b2c3d4}
 * (microseconds) or {@code a1b23c4d} (nanoseconds), in the writer's byte order, then per packet a
 * 16-byte record header whose third field is the number of bytes stored.
 */
public final class PcapFile {

    public static final int GLOBAL_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;

    private PcapFile() {}

    /** Whether {@code bytes} start with a pcap global header in either byte order. */
    public static boolean hasMagic(byte[] bytes) {
        return order(bytes) != null;
    }

    /**
     * The number of complete packet records. A record cut short at the end (the writer is still
     * running) is not counted.
     *
     * @throws IllegalArgumentException when the bytes are not a pcap file
     */
    public static int countPackets(byte[] bytes) {
        ByteOrder order = order(bytes);
        if (order == null) {
            throw new IllegalArgumentException("Not a pcap file: it does not start with the magic number a1b2c3d4 or "
                    + "a1b23c4d (" + bytes.length + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(order);
        int position = GLOBAL_HEADER;
        int packets = 0;
        while (position + RECORD_HEADER <= bytes.length) {
            long included = Integer.toUnsignedLong(buffer.getInt(position + 8));
            long next = position + RECORD_HEADER + included;
            if (next > bytes.length) {
                break;
            }
            packets++;
            position = (int) next;
        }
        return packets;
    }

    private static ByteOrder order(byte[] bytes) {
        if (bytes.length < GLOBAL_HEADER) {
            return null;
        }
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            int magic = ByteBuffer.wrap(bytes, 0, 4).order(order).getInt();
            if (magic == MAGIC_MICROS || magic == MAGIC_NANOS) {
                return order;
            }
        }
        return null;
    }
}
