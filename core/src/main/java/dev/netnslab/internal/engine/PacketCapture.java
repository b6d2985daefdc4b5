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
 *
 * <p>tcpdump runs on the lab's kernel and writes on that machine. When it is not this one (ssh and
 * the VMs), it writes into {@value #REMOTE_DIR} there, and the file is copied here, to
 * {@link #path()}, over the backend's connection: when the capture closes, and whenever
 * {@link #packetCount()} is asked while it runs. The copy there is removed after the last one.
 */
public final class PacketCapture {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(10);
    private static final long SETTLE_MS = 30;
    private static final long SETTLE_LIMIT_MS = 500;
    /** How long closing waits for tcpdump to have written every packet the interface counted. */
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(5);
    /** Where tcpdump writes on a kernel whose files are not this machine's. */
    static final String REMOTE_DIR = "/tmp/netnslab-captures";

    private static final Duration REMOTE_POLL = Duration.ofMillis(50);

    private final LabNamespace namespace;
    private final String iface;
    private final Path file;
    private final BackgroundProcess process;
    /** The file tcpdump writes on the kernel's machine, or {@code null} when that is {@link #file} itself. */
    private final String remote;

    private boolean fetched;
    /** The interface's packets (received plus sent) when the capture began, or -1 when unread. */
    private long countedAtStart = -1;

    private PacketCapture(LabNamespace namespace, String iface, Path file, BackgroundProcess process, String remote) {
        this.namespace = namespace;
        this.iface = iface;
        this.file = file;
        this.process = process;
        this.remote = remote;
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
        String remote = null;
        if (!namespace.lab().kernel().sharesThisFilesystem()) {
            remote = REMOTE_DIR + "/" + file.getFileName();
            ExecResult prepared = namespace.exec(
                    Duration.ofSeconds(10), "sh", "-c", "mkdir -p \"$1\" && rm -f \"$2\"", "sh", REMOTE_DIR, remote);
            if (!prepared.isSuccess()) {
                throw new NetnsLabException(
                        "Cannot capture on " + namespace.name() + ":" + iface + ": could not prepare " + remote + " on "
                                + namespace.lab().kernel().describe() + "\n" + prepared.describe());
            }
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
                remote != null ? remote : file.toString()));
        PacketCapture capture = new PacketCapture(namespace, iface, file, process, remote);
        capture.awaitHeader();
        capture.countedAtStart = capture.counted();
        return capture;
    }

    private void awaitHeader() {
        Deadline deadline = Deadline.in(READY_TIMEOUT);
        while (!deadline.isPast()) {
            if (size() >= PcapFile.GLOBAL_HEADER) {
                return;
            }
            if (!process.isAlive()) {
                process.close();
                throw new NetnsLabException("tcpdump stopped at once instead of capturing on " + namespace.name() + ":"
                        + iface + ". Does the interface exist? The namespace has " + interfaceNames()
                        + ". Try it by hand: ip netns exec " + namespace.systemName() + " tcpdump -i " + iface);
            }
            deadline.sleep(poll(), "for tcpdump to start capturing on " + namespace.name() + ":" + iface);
        }
        process.close();
        throw new NetnsLabException("tcpdump did not start capturing on " + namespace.name() + ":" + iface + " within "
                + READY_TIMEOUT.toSeconds() + " s (no pcap header in "
                + (remote != null ? remote + " on " + namespace.lab().kernel().describe() : file) + ")");
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

    /**
     * The pcap file on this machine, absolute. It stays after the capture and the lab are closed.
     * On a kernel whose files are not this machine's it is the copy, complete once the capture is closed.
     */
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
        if (remote != null && !fetched) {
            fetch(); // a copy of what tcpdump has written so far
        }
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
     * waits, where the file is on this machine, until it holds as many packets as the interface
     * counted since the capture began (at most 5 s), then until the file has stopped growing for a
     * moment ({@value #SETTLE_MS} ms, at most {@value #SETTLE_LIMIT_MS} ms in all).
     */
    public void close() {
        if (process.isAlive()) {
            awaitCaughtUp();
            awaitQuiet();
        }
        process.close();
        if (remote != null && !fetched) {
            fetch();
            fetched = true;
            namespace.exec(Duration.ofSeconds(10), "rm", "-f", remote);
        }
    }

    /** Copies the remote file to {@link #file}. */
    private synchronized void fetch() {
        namespace.lab().kernel().copyHere(remote, file);
    }

    /** The size of the file tcpdump writes, or -1 when it does not exist yet. */
    private long size() {
        if (remote == null) {
            return sizeOf(file);
        }
        ExecResult stat = namespace.exec(Duration.ofSeconds(10), "stat", "-c", "%s", remote);
        try {
            return stat.isSuccess() ? Long.parseLong(stat.stdout().strip()) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Duration poll() {
        return remote == null ? POLL : REMOTE_POLL;
    }

    /**
     * Where the file is on this machine: waits (at most {@link #CATCH_UP_LIMIT}) until it holds as
     * many packets as the interface counted, received and sent, since the capture began. On a
     * loaded machine tcpdump may be scheduled late, and a file that merely stopped growing for a
     * moment can still lack the last reply.
     */
    private void awaitCaughtUp() {
        if (remote != null || countedAtStart < 0) {
            return;
        }
        long now = counted();
        if (now < 0) {
            return;
        }
        long expected = now - countedAtStart;
        Deadline deadline = Deadline.in(CATCH_UP_LIMIT);
        while (!deadline.isPast()) {
            try {
                if (PcapFile.countPackets(Files.readAllBytes(file)) >= expected) {
                    return;
                }
            } catch (IOException | IllegalArgumentException e) {
                return;
            }
            if (!process.isAlive()) {
                return;
            }
            deadline.sleep(poll(), "for the capture " + file + " to hold the packets " + iface + " counted");
        }
    }

    /** The interface's received plus sent packets, or -1 when they cannot be read. */
    private long counted() {
        try {
            return namespace.interfaces().stream()
                    .filter(link -> link.name().equals(iface))
                    .mapToLong(link ->
                            link.counters().rxPackets() + link.counters().txPackets())
                    .findFirst()
                    .orElse(-1);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private void awaitQuiet() {
        Deadline deadline = Deadline.in(Duration.ofMillis(SETTLE_LIMIT_MS));
        long size = size();
        long quietSince = System.nanoTime();
        while (!deadline.isPast() && System.nanoTime() - quietSince < SETTLE_MS * 1_000_000L) {
            deadline.sleep(poll(), "for the capture file " + file + " to settle");
            long now = size();
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
