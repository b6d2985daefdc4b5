package dev.netnslab.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PcapFile: magic number and packet count of a classic pcap")
class PcapFileTest {

    private static byte[] pcap(ByteOrder order, int magic, int... packetSizes) {
        int size = 24;
        for (int p : packetSizes) {
            size += 16 + p;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).order(order);
        buffer.putInt(magic)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(262144)
                .putInt(1);
        for (int p : packetSizes) {
            buffer.putInt(0).putInt(0).putInt(p).putInt(p).put(new byte[p]);
        }
        return buffer.array();
    }

    @Test
    @DisplayName("counts records in little- and big-endian files, micro- and nanosecond magic")
    void counts() {
        assertThat(PcapFile.countPackets(pcap(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 98, 98, 42)))
                .isEqualTo(3);
        assertThat(PcapFile.countPackets(pcap(ByteOrder.BIG_ENDIAN, 0xa1b2c3d4, 60)))
                .isEqualTo(1);
        assertThat(PcapFile.countPackets(pcap(ByteOrder.LITTLE_ENDIAN, 0xa1b23c4d)))
                .isZero();
    }

    @Test
    @DisplayName("a record cut short by a running writer is not counted")
    void partialRecord() {
        byte[] full = pcap(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 98, 98);
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 10);
        assertThat(PcapFile.countPackets(cut)).isEqualTo(1);
    }

    @Test
    @DisplayName("anything else is rejected, naming the magic number it expected")
    void rejectsNonPcap() {
        assertThat(PcapFile.hasMagic("not a capture at all, honestly".getBytes()))
                .isFalse();
        assertThatThrownBy(() -> PcapFile.countPackets(new byte[30])).hasMessageContaining("a1b2c3d4");
    }
}
