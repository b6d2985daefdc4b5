package dev.netnslab;

import dev.netnslab.internal.engine.PacketCapture;
import java.nio.file.Path;

/**
 * A packet capture running in a namespace: {@code tcpdump} writing a pcap file, which Wireshark
 * opens. Start one with {@link Namespace#capture(String)}; closing it (or closing the lab) stops
 * tcpdump and leaves the file. When a test fails, the JUnit extension lists the files of the lab's
 * captures in its report.
 *
 * <pre>{@code
 * try (Capture capture = ns.capture("veth2")) {
 *     assertThat(ns).canPing(lab.host().address());
 * }
 * // target/netnslab/captures/nl4k2x9q-netns1-veth2-1.pcap
 * assertThat(capture.packetCount()).isGreaterThan(0);
 * }</pre>
 *
 * <p>tcpdump runs on the lab's backend, so on a remote backend the file is written on that host.
 */
public final class Capture implements AutoCloseable {

    private final Namespace namespace;
    private final PacketCapture capture;

    Capture(Namespace namespace, PacketCapture capture) {
        this.namespace = namespace;
        this.capture = capture;
    }

    /** The namespace the capture runs in. */
    public Namespace namespace() {
        return namespace;
    }

    /** The interface it listens on. */
    public String iface() {
        return capture.iface();
    }

    /** The pcap file, absolute. It stays after the capture and the lab are closed. */
    public Path path() {
        return capture.path();
    }

    /** Whether tcpdump still runs. */
    public boolean isRunning() {
        return capture.isRunning();
    }

    /**
     * The number of packets in the file so far (all of them once the capture is closed).
     *
     * @throws NetnsLabException when the file cannot be read or is not a pcap file
     */
    public int packetCount() {
        return capture.packetCount();
    }

    /**
     * Stops tcpdump and leaves a complete pcap file. Idempotent.
     *
     * <p>tcpdump drops what it has not yet read from the kernel when it is told to stop, so the
     * last packets of a test (the reply to its final ping) could go missing. Closing therefore first
     * waits until the file has stopped growing for a moment (30 ms, at most
     * 500 ms in all).
     */
    @Override
    public void close() {
        capture.close();
    }

    @Override
    public String toString() {
        return capture.toString();
    }
}
