package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.Capture;
import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.junit.NetnsLab;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A packet capture is a pcap file on the machine that runs the test, whichever backend ran tcpdump:
 * on ssh and the VMs it is copied back over the backend's connection when the capture closes. The
 * vm profile runs this class in a qemu VM, whose files are not this machine's. The twin takes the
 * other end of the cable down, and the file holds no packet.
 */
@Tag("kernel")
@DisplayName("Packet captures come home to this machine, on every backend")
@NetnsLab(ns = "netns1", ip = "10.200.1.1")
class CaptureComesHomeTest {

    /** The pcap magic number as tcpdump writes it, in either byte order. */
    private static boolean isPcap(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 24) {
            return false;
        }
        int magic = ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int swapped = Integer.reverseBytes(magic);
        return magic == 0xa1b2c3d4 || swapped == 0xa1b2c3d4 || magic == 0xa1b23c4d || swapped == 0xa1b23c4d;
    }

    @Test
    @DisplayName("after close, path() is a readable pcap here with the pings in it")
    void captureIsALocalPcapWithThePackets(Lab lab, Namespace ns) throws Exception {
        Capture capture = ns.capture("veth2");
        assertThat(lab.host()).canPing("10.200.1.1");
        capture.close();
        assertThat(capture.path()).isAbsolute().isRegularFile().isReadable();
        assertThat(isPcap(capture.path()))
                .as("%s is a pcap file", capture.path())
                .isTrue();
        assertThat(capture.packetCount()).as("an echo request and its reply").isGreaterThanOrEqualTo(2);
    }

    @Test
    @DisplayName("twin: with the host's end of the cable down, the capture comes home empty")
    void aCaptureOfABrokenLinkHoldsNoPacket(Lab lab, Namespace ns) throws Exception {
        lab.link("host", "veth1").down();
        try {
            Capture capture = ns.capture("veth2");
            assertThat(lab.host()).cannotPing("10.200.1.1");
            capture.close();
            assertThat(isPcap(capture.path())).isTrue();
            assertThat(capture.packetCount()).isZero();
        } finally {
            lab.link("host", "veth1").up();
        }
    }
}
