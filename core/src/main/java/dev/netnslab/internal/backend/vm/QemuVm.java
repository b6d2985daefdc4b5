package dev.netnslab.internal.backend.vm;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.backend.ssh.SshTarget;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.reaper.Owner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One qemu VM on this machine: its folder, its process, the port its SSH is forwarded from, and
 * whether it is kept for the next run. Its folder holds everything of it: the overlay disk, the
 * cloud-init seed, the serial console's log, and its record ({@link QemuFolders}).
 *
 * <p>A VM that is not kept is watched by this JVM's watchdog ({@link QemuFolders#watch}), which stops
 * qemu and removes the folder when the JVM is gone, even after {@code kill -9}. As a second line,
 * every boot first {@linkplain QemuFolders#sweep sweeps} the folders of VMs whose JVM is dead.
 */
final class QemuVm {

    static final String CONSOLE = "console.log";
    private static final Duration QUICK = Duration.ofSeconds(60);

    private final Path dir;
    private final Owner process;
    private final int port;
    private final int tunnelForward;
    private final boolean kept;
    private final String accel;
    private volatile SshTarget target;

    /** @param process qemu's process: its pid and start time on this boot */
    QemuVm(Path dir, Owner process, int port, boolean kept, String accel) {
        this(dir, process, port, 0, kept, accel);
    }

    /**
     * @param process       qemu's process: its pid and start time on this boot
     * @param tunnelForward the UDP port of {@code 127.0.0.1} forwarded to the guest's tunnel port; 0 for none
     */
    QemuVm(Path dir, Owner process, int port, int tunnelForward, boolean kept, String accel) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.tunnelForward = tunnelForward;
        this.kept = kept;
        this.accel = accel;
    }

    /**
     * Starts qemu for {@code config} in {@code dir}, where the seed already is: creates the overlay
     * over {@code baseImage}, picks free ports for SSH and the tunnels (others when qemu finds one taken), and returns
     * once qemu runs. Records the VM in {@code dir}, so that it can be found again.
     */
    static QemuVm launch(
            QemuConfig config, Path baseImage, Path dir, QemuCommand.Accel accel, List<String> fingerprint) {
        LocalRunner local = new LocalRunner();
        QemuCommand.Files files = files(dir);
        createOverlay(local, config, baseImage, files.overlay());
        ExecResult result = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            int port = freePort();
            int tunnelForward = freeUdpPort();
            List<String> argv = QemuCommand.argv(config, accel, files, port, tunnelForward);
            try {
                result = local.run(Command.of(QUICK, argv));
            } catch (NetnsLabException e) {
                throw new BackendUnavailableException(
                        "Could not run " + config.executable() + " (netnslab.qemu.executable): " + e.getMessage()
                                + " Install qemu (apt-get install qemu-system-x86), or set netnslab.qemu.executable");
            }
            if (result.isSuccess()) {
                long pid = readPid(files.pidFile());
                Owner process = Owner.running(pid)
                        .orElseThrow(() -> new BackendUnavailableException(
                                "qemu started and exited at once (pid " + pid + "). Last lines of its serial console ("
                                        + files.serialLog() + "):\n" + tail(files.serialLog(), 20)));
                QemuVm vm = new QemuVm(
                        dir,
                        process,
                        port,
                        tunnelForward,
                        dir.getFileName().toString().equals("kept"),
                        accel.name().toLowerCase(java.util.Locale.ROOT));
                QemuFolders.writeRecord(vm, fingerprint);
                return vm;
            }
            if (!QemuCommand.portBusy(result.stderr())) {
                break;
            }
        }
        throw new BackendUnavailableException("qemu did not start:\n" + result.describe()
                + "\nCheck the netnslab.qemu.* settings (the image, memory and cpus) against the error above.");
    }

    static QemuCommand.Files files(Path dir) {
        return new QemuCommand.Files(
                dir.resolve("overlay.qcow2"), dir.resolve("seed"), dir.resolve(CONSOLE), dir.resolve("qemu.pid"));
    }

    private static void createOverlay(LocalRunner local, QemuConfig config, Path baseImage, Path overlay) {
        String qemuImg = config.executable().contains("/")
                ? Path.of(config.executable()).resolveSibling("qemu-img").toString()
                : "qemu-img";
        List<String> argv = List.of(
                qemuImg,
                "create",
                "-q",
                "-f",
                "qcow2",
                "-b",
                baseImage.toAbsolutePath().toString(),
                "-F",
                QemuImage.format(baseImage),
                overlay.toAbsolutePath().toString());
        ExecResult result;
        try {
            result = local.run(Command.of(QUICK, argv));
        } catch (NetnsLabException e) {
            throw new BackendUnavailableException(
                    "Could not run " + qemuImg + ": " + e.getMessage() + " Install it with apt-get install qemu-utils");
        }
        if (!result.isSuccess()) {
            throw new BackendUnavailableException(
                    "Could not create the VM's overlay disk over " + baseImage + ":\n" + result.describe());
        }
    }

    /** A port on 127.0.0.1 that nothing listens on now; qemu may still lose it to a race, then it is asked again. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Could not find a free port on 127.0.0.1 for the VM's ssh: " + e.getMessage(), e);
        }
    }

    /** A UDP port on 127.0.0.1 that nothing is bound to now, for the tunnels' forward. */
    private static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Could not find a free UDP port on 127.0.0.1 for the VM's tunnels: " + e.getMessage(), e);
        }
    }

    private static long readPid(Path pidFile) {
        try {
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new BackendUnavailableException(
                    "qemu started but its pid file " + pidFile + " is unreadable: " + e.getMessage());
        }
    }

    /** Throws, quoting the console, when qemu has exited. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new BackendUnavailableException("qemu (pid " + process.pid() + ") exited while the VM was booting. "
                    + "Last lines of its serial console (all of it: " + failedConsole() + "):\n" + consoleTail(20));
        }
    }

    /** Where the console of the last boot that failed is kept, since the VM's own folder goes with the VM. */
    Path failedConsole() {
        return dir.getParent().resolve("last-failed-boot.log");
    }

    /** Stops a VM whose boot failed, keeping a copy of its console at {@link #failedConsole()}. */
    void fail() {
        try {
            Files.copy(files(dir).serialLog(), failedConsole(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // The message that reports the failure quotes the console's last lines already.
        }
        stop();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The serial console's last lines. */
    String consoleTail(int lines) {
        return tail(files(dir).serialLog(), lines);
    }

    /** {@code ; console: <its last line>} for progress lines. */
    String consoleStatus() {
        if (!consoleStarted()) {
            return "; the console is silent so far";
        }
        List<String> recent =
                consoleTail(10).lines().filter(line -> !line.isBlank()).toList();
        return recent.isEmpty()
                ? ""
                : "; console: " + recent.get(recent.size() - 1).strip();
    }

    /** Whether the guest has written anything to its console yet. */
    boolean consoleStarted() {
        try {
            return Files.size(files(dir).serialLog()) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    static String tail(Path file, int lines) {
        try {
            // new String(...) replaces bytes that are not UTF-8 instead of failing, as a console may print any.
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            // Consoles print colour codes and carriage returns; a message wants plain lines.
            return String.join(
                    "\n",
                    last.stream()
                            .map(line -> line.replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "")
                                    .replace("\r", ""))
                            .toList());
        } catch (IOException | UncheckedIOException e) {
            return "(no console output: " + e.getMessage() + ")";
        }
    }

    /**
     * Stops qemu and removes the VM's folder. Safe to call more than once, and on a VM whose qemu
     * has already gone.
     */
    void stop() {
        abandon();
        QemuFolders.deleteTree(dir);
    }

    /** Stops qemu, and leaves the folder. */
    void abandon() {
        QemuFolders.stop(process);
    }

    void target(SshTarget target) {
        this.target = target;
    }

    SshTarget target() {
        return target;
    }

    Path dir() {
        return dir;
    }

    Owner process() {
        return process;
    }

    int port() {
        return port;
    }

    /** The UDP port of {@code 127.0.0.1} forwarded to the guest's tunnel port; 0 when the VM was booted without one. */
    int tunnelForward() {
        return tunnelForward;
    }

    boolean kept() {
        return kept;
    }

    String accel() {
        return accel;
    }

    @Override
    public String toString() {
        return "qemu VM (pid " + process.pid() + ", ssh 127.0.0.1:" + port
                + (tunnelForward > 0 ? ", tunnels udp 127.0.0.1:" + tunnelForward : "") + ", " + accel
                + (kept ? ", kept" : "") + ")";
    }
}
