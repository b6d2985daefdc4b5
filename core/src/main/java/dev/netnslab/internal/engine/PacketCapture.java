package dev.netnslab.internal.engine;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.NetInterface;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.Deadline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A packet capture running in a namespace of a lab: {@code tcpdump} writing a pcap file. Started by
 * {@link LabNamespace#capture(String)}; {@code dev.netnslab.Capture} is the user's handle on one.
 */
public final class PacketCapture {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(10);
    private static final long SETTLE_MS = 30;
    private static final long SETTLE_LIMIT_MS = 500;

    private final LabNamespace namespace;
    private final String iface;
    private final Path file;
    private final BackgroundProcess process;

    private PacketCapture(LabNamespace namespace, String iface, Path file, BackgroundProcess process) {
        this.namespace = namespace;
        this.iface = iface;
        this.file = file;
        this.process = process;
    }

    /** Starts tcpdump and returns once it has attached to the interface (the pcap header is written). */
    static PacketCapture start(LabNamespace namespace, String iface, Path file) {
        Optional<String> impossible = namespace.lab().kernel().whyNoCaptures();
        if (impossible.isPresent()) {
            throw new NetnsLabException(
                    "Cannot capture on " + namespace.name() + ":" + iface + ": " + impossible.get());
        }
        ExecResult version = namespace.exec(Duration.ofSeconds(10), "tcpdump", "--version");
        if (!version.isSuccess()) {
            throw new NetnsLabException("Cannot capture on " + namespace.name() + ":" + iface + ": tcpdump "
                    + (missing(version) ? "is not installed" : "does not run") + " on "
                    + namespace.lab().kernel().name()
                    + ". Install it (apt-get install -y tcpdump).\n" + version.describe());
        }
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Cannot capture on " + namespace.name() + ":" + iface + ": could not prepare " + file + ": "
                            + e.getMessage(),
                    e);
        }
        // -Z root: Debian's tcpdump drops to user tcpdump before opening the file, and could then not
        // write into the build's root-owned target/. --immediate-mode and -U: packets reach the file
        // as they arrive, so a test can count them while the capture runs.
        BackgroundProcess process = namespace.spawn(List.of(
                "tcpdump",
                "-i",
                iface,
                "-n",
                "-s",
                "0",
                "-U",
                "--immediate-mode",
                "-Z",
                "root",
                "-w",
                file.toString()));
        PacketCapture capture = new PacketCapture(namespace, iface, file, process);
        capture.awaitHeader();
        return capture;
    }

    private void awaitHeader() {
        Deadline deadline = Deadline.in(READY_TIMEOUT);
        while (!deadline.isPast()) {
            if (sizeOf(file) >= PcapFile.GLOBAL_HEADER) {
                return;
            }
            if (!process.isAlive()) {
                process.close();
                throw new NetnsLabException("tcpdump stopped at once instead of capturing on " + namespace.name() + ":"
                        + iface + ". Does the interface exist? The namespace has " + interfaceNames()
                        + ". Try it by hand: ip netns exec " + namespace.systemName() + " tcpdump -i " + iface);
            }
            deadline.sleep(POLL, "for tcpdump to start capturing on " + namespace.name() + ":" + iface);
        }
        process.close();
        throw new NetnsLabException("tcpdump did not start capturing on " + namespace.name() + ":" + iface + " within "
                + READY_TIMEOUT.toSeconds() + " s (no pcap header in " + file + ")");
    }

    private List<String> interfaceNames() {
        try {
            return namespace.interfaces().stream().map(NetInterface::name).toList();
        } catch (RuntimeException e) {
            return List.of("<unreadable: " + e.getMessage() + ">");
        }
    }

    private static boolean missing(ExecResult result) {
        return result.stderr().contains("No such file or directory") || result.exitCode() == 127;
    }

    /** The namespace the capture runs in. */
    public LabNamespace namespace() {
        return namespace;
    }

    /** The interface it listens on. */
    public String iface() {
        return iface;
    }

    /** The pcap file, absolute. It stays after the capture and the lab are closed. */
    public Path path() {
        return file;
    }

    /** Whether tcpdump still runs. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * The number of packets in the file so far (all of them once the capture is closed).
     *
     * @throws NetnsLabException when the file cannot be read or is not a pcap file
     */
    public int packetCount() {
        try {
            return PcapFile.countPackets(Files.readAllBytes(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new NetnsLabException("Could not read the capture " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops tcpdump and leaves a complete pcap file. Idempotent.
     *
     * <p>tcpdump drops what it has not yet read from the kernel when it is told to stop, so the
     * last packets of a test (the reply to its final ping) could go missing. Closing therefore first
     * waits until the file has stopped growing for a moment ({@value #SETTLE_MS} ms, at most
     * {@value #SETTLE_LIMIT_MS} ms in all).
     */
    public void close() {
        if (process.isAlive()) {
            awaitQuiet();
        }
        process.close();
    }

    private void awaitQuiet() {
        Deadline deadline = Deadline.in(Duration.ofMillis(SETTLE_LIMIT_MS));
        long size = sizeOf(file);
        long quietSince = System.nanoTime();
        while (!deadline.isPast() && System.nanoTime() - quietSince < SETTLE_MS * 1_000_000L) {
            deadline.sleep(POLL, "for the capture file " + file + " to settle");
            long now = sizeOf(file);
            if (now != size) {
                size = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return "capture of " + namespace.name() + ":" + iface + " -> " + file;
    }
}
