package dev.netnslab.internal.backend.vm;

import dev.netnslab.NetnsLabException;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.settings.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The base image a qemu VM boots from: the file {@code netnslab.qemu.image} names, or, for an
 * http(s) URL, a copy downloaded once into {@code ~/.netnslab/qemu/images}. A download is checked
 * against {@code netnslab.qemu.imageSha256} when that is set, and only a complete, verified file is
 * ever moved into the cache.
 */
final class QemuImage {

    private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

    private QemuImage() {}

    /** The image file to boot, downloading it first when it is a URL not yet in the cache. */
    static Path resolve(QemuConfig config, Path qemuHome, VmProgress progress) {
        if (!config.imageIsUrl()) {
            return config.imageFile();
        }
        Path cached = cachePath(config, qemuHome.resolve("images"));
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        progress.start("downloading " + config.image() + " into " + cached + " (once)");
        try {
            download(URI.create(config.image()).toURL(), cached, config);
        } catch (IOException | IllegalArgumentException e) {
            throw new BackendUnavailableException("Could not download " + config.image() + " (" + Setting.QEMU_IMAGE
                    + "): "
                    + e.getMessage() + ". Check the URL, or download the image yourself and set " + Setting.QEMU_IMAGE
                    + " to the file");
        }
        progress.stage("downloaded the image");
        return cached;
    }

    /**
     * Where a URL's image is cached: named by the checksum when one is given (a new checksum means a
     * new download), else by a hash of the URL, and ending in the URL's file name for people who look.
     */
    static Path cachePath(QemuConfig config, Path images) {
        String url = config.image();
        String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        String id = config.imageSha256()
                .map(sum -> sum.substring(0, 16))
                .orElseGet(() -> sha256(url).substring(0, 16));
        return images.resolve(id + "-" + (name.isEmpty() ? "image" : name));
    }

    static void download(URL url, Path target, QemuConfig config) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), ".download", ".tmp");
        try {
            URLConnection connection = url.openConnection();
            connection.setConnectTimeout(30_000);
            connection.setReadTimeout(60_000);
            MessageDigest digest = digest();
            try (InputStream in = new DigestInputStream(connection.getInputStream(), digest);
                    OutputStream out = Files.newOutputStream(partial)) {
                in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (config.imageSha256().isPresent() && !config.imageSha256().get().equals(actual)) {
                throw new BackendUnavailableException(
                        "The image downloaded from " + url + " has SHA-256 " + actual + " but "
                                + Setting.QEMU_IMAGE_SHA256 + " says "
                                + config.imageSha256().get() + ". It was not kept. Check the "
                                + "checksum against the image's SHA256SUMS, or whether the URL now serves another image");
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The format qemu must be told for a backing file: {@code qcow2} by its magic number, else {@code raw}. */
    static String format(Path image) {
        try (InputStream in = Files.newInputStream(image)) {
            return Arrays.equals(in.readNBytes(4), QCOW2_MAGIC) ? "qcow2" : "raw";
        } catch (IOException e) {
            throw new BackendUnavailableException("Cannot read the VM image " + image + ": " + e.getMessage());
        }
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new NetnsLabException("This JVM has no SHA-256", e);
        }
    }
}
