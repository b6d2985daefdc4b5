package dev.netnslab.internal.backend.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The qemu command line of one boot. Pure: it only renders argv.
 *
 * <p>The guest gets its disk as a qcow2 overlay (the base image is never written), its cloud-init
 * seed as a read-only FAT disk labelled {@code cidata} that qemu builds from a folder (so no ISO or
 * FAT tool is needed), and user-mode networking with the host's {@code 127.0.0.1:PORT} forwarded to
 * its port 22, and a UDP port of {@code 127.0.0.1} forwarded to its tunnel port, so that a lab's
 * tunnels from this machine reach it (its own tunnels reach this machine's loopback at
 * {@value #HOST_LOOPBACK}). The serial console goes to a file: it is the only view into a boot that hangs. qemu
 * daemonizes once it has set all of this up, so a bad option or a busy port is reported by its exit
 * code, and a started VM no longer depends on the JVM's process tree.
 */
final class QemuCommand {

    /** How the guest's CPU runs. */
    enum Accel {
        /** Hardware virtualization: fast, when /dev/kvm really works. */
        KVM,
        /**
         * Emulation. The translation cache is bounded at 256 MB: by default it grows with guest memory,
         * and qemu's own memory then far exceeds the guest's.
         */
        TCG
    }

    /** Where one boot's files are. */
    record Files(Path overlay, Path seed, Path serialLog, Path pidFile) {}

    /** Where the guest of qemu's user-mode network reaches the host's {@code 127.0.0.1}: the network's gateway. */
    static final String HOST_LOOPBACK = "10.0.2.2";

    private QemuCommand() {}

    /**
     * @param sshPort       the port of {@code 127.0.0.1} forwarded to the guest's port 22
     * @param tunnelForward the UDP port of {@code 127.0.0.1} forwarded to the guest's tunnel port
     */
    static List<String> argv(QemuConfig config, Accel accel, Files files, int sshPort, int tunnelForward) {
        List<String> argv = new ArrayList<>(List.of(
                config.executable(), "-machine", "q35", "-accel", accel == Accel.KVM ? "kvm" : "tcg,tb-size=256"));
        if (accel == Accel.KVM) {
            argv.addAll(List.of("-cpu", "host"));
        }
        argv.addAll(List.of(
                "-m",
                config.memory(),
                "-smp",
                Integer.toString(config.cpus()),
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none"));
        config.kernel().ifPresent(kernel -> {
            argv.addAll(List.of("-kernel", kernel.toAbsolutePath().toString()));
            config.initrd()
                    .ifPresent(initrd -> argv.addAll(
                            List.of("-initrd", initrd.toAbsolutePath().toString())));
            argv.addAll(List.of("-append", config.kernelArgs()));
        });
        argv.addAll(List.of(
                "-drive",
                "file=" + option(files.overlay()) + ",if=virtio,format=qcow2",
                "-drive",
                "file.driver=vvfat,file.dir=" + option(files.seed())
                        + ",file.label=cidata,format=raw,if=virtio,readonly=on",
                "-netdev",
                "user,id=net0,hostfwd=tcp:127.0.0.1:" + sshPort + "-:22,hostfwd=udp:127.0.0.1:" + tunnelForward + "-:"
                        + config.tunnelPort(),
                "-device",
                "virtio-net-pci,netdev=net0",
                "-serial",
                "file:" + files.serialLog().toAbsolutePath(),
                "-pidfile",
                files.pidFile().toAbsolutePath().toString(),
                "-daemonize"));
        return List.copyOf(argv);
    }

    /** A path inside a qemu option list, where a comma separates options and {@code ,,} is a literal comma. */
    static String option(Path path) {
        return path.toAbsolutePath().toString().replace(",", ",,");
    }

    /** Whether qemu's error output says that the forwarded port could not be bound (someone else has it). */
    static boolean portBusy(String stderr) {
        return stderr.contains("host forwarding rule") || stderr.contains("Address already in use");
    }
}
