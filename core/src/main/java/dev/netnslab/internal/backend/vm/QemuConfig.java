package dev.netnslab.internal.backend.vm;

import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the qemu backend boots, read once from the settings. Two runs whose configurations are equal
 * may share a VM, so everything that shapes the guest is here and nothing else is.
 *
 * @param image       a disk image file, or an http(s) URL of one
 * @param imageSha256 the image's SHA-256 in hex, checked when a URL is downloaded
 * @param kernel      a kernel to boot with {@code -kernel}, for images without a boot loader
 * @param initrd      its initrd
 * @param kernelArgs  the kernel command line, used with {@code kernel}
 * @param memory      qemu's {@code -m}, e.g. {@code 1G}
 * @param cpus        qemu's {@code -smp}
 * @param accel       {@code auto}, {@code kvm} or {@code tcg}
 * @param executable  the qemu program
 * @param cloudInit   the user-data file, or empty for the one shipped in core
 * @param user        the VM user to log in as
 * @param keep        whether the VM outlives the run, to be reused by the next one
 * @param bootTimeout how long the boot may take, until cloud-init is done
 * @param tunnelPort  the UDP port of labs' tunnels ({@code netnslab.tunnel.port}), which the VM's user-mode
 *                    network forwards from a port of this machine's loopback
 */
record QemuConfig(
        String image,
        Optional<String> imageSha256,
        Optional<Path> kernel,
        Optional<Path> initrd,
        String kernelArgs,
        String memory,
        int cpus,
        String accel,
        String executable,
        Optional<Path> cloudInit,
        String user,
        boolean keep,
        Duration bootTimeout,
        int tunnelPort) {

    static QemuConfig from(Settings settings) {
        String image = settings.find(Setting.QEMU_IMAGE)
                .orElseThrow(() -> new BackendUnavailableException("netnslab.backend=qemu needs " + Setting.QEMU_IMAGE
                        + " (the disk image to boot), and it is not set. " + fix()));
        Optional<Path> kernel = settings.find(Setting.QEMU_KERNEL);
        Optional<Path> initrd = settings.find(Setting.QEMU_INITRD);
        if (initrd.isPresent() && kernel.isEmpty()) {
            throw new IllegalArgumentException(Setting.QEMU_INITRD + " is set to '" + initrd.get() + "' but "
                    + Setting.QEMU_KERNEL + " is not; an initrd is only booted with a kernel. Set both, or neither "
                    + "for an image with its own boot loader");
        }
        QemuConfig config = new QemuConfig(
                image,
                settings.find(Setting.QEMU_IMAGE_SHA256).map(s -> s.toLowerCase(Locale.ROOT)),
                kernel,
                initrd,
                settings.get(Setting.QEMU_KERNEL_ARGS),
                settings.get(Setting.QEMU_MEMORY),
                settings.get(Setting.QEMU_CPUS),
                settings.get(Setting.QEMU_ACCEL),
                settings.get(Setting.QEMU_EXECUTABLE),
                settings.find(Setting.VM_CLOUD_INIT),
                settings.get(Setting.VM_USER),
                // A throwaway VM unless asked otherwise; Multipass VMs, slower to make, are kept by default.
                settings.find(Setting.VM_KEEP).orElse(false),
                settings.get(Setting.QEMU_BOOT_TIMEOUT),
                settings.get(Setting.TUNNEL_PORT));
        config.checkFiles();
        return config;
    }

    /** Whether {@link #image} names a file to download. */
    boolean imageIsUrl() {
        String lower = image.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** The image as a file, for an image that is not a URL. */
    Path imageFile() {
        return Settings.expandHome(image);
    }

    /** A missing file fails here, before anything is started, naming the key, the value and the fix. */
    private void checkFiles() {
        if (!imageIsUrl()) {
            missing(Setting.QEMU_IMAGE, imageFile());
        }
        kernel.ifPresent(file -> missing(Setting.QEMU_KERNEL, file));
        initrd.ifPresent(file -> missing(Setting.QEMU_INITRD, file));
        imageSha256.ifPresent(sum -> {
            if (!sum.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(Setting.QEMU_IMAGE_SHA256 + " must be 64 hex digits (a SHA-256 sum, "
                        + "as in the image's SHA256SUMS file) but was '" + sum + "'");
            }
        });
    }

    private static void missing(Setting<?> setting, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BackendUnavailableException(setting + " is '" + file + "', which is not a file. " + fix());
        }
    }

    private static String fix() {
        return "Build the test image with scripts/build-vm-image.sh DIR (Debian 12, as root) and set "
                + Setting.QEMU_IMAGE + "=DIR/disk.qcow2, " + Setting.QEMU_KERNEL + "=DIR/vmlinuz and "
                + Setting.QEMU_INITRD + "=DIR/initrd.img; or set " + Setting.QEMU_IMAGE
                + " to a cloud image file or its http(s) URL (e.g. an Ubuntu cloud image, which boots on its own).";
    }

    /** The settings that shape the guest, one per line: a kept VM is reused only when they are unchanged. */
    List<String> fingerprint(String cloudInitText) {
        return List.of(
                "image=" + image,
                "image-sha256=" + imageSha256.orElse(""),
                "kernel=" + kernel.map(Path::toString).orElse(""),
                "initrd=" + initrd.map(Path::toString).orElse(""),
                "kernel-args=" + kernelArgs,
                "memory=" + memory,
                "cpus=" + cpus,
                "user=" + user,
                "tunnel-port=" + tunnelPort,
                "cloud-init=" + Integer.toHexString(cloudInitText.hashCode()));
    }
}
