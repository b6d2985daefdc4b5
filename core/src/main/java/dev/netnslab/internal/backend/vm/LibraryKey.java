package dev.netnslab.internal.backend.vm;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import dev.netnslab.NetnsLabException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * netns-lab's own SSH key for the VMs it launches: {@code id_ed25519} and {@code id_ed25519.pub} in
 * the netns-lab home ({@code ~/.netnslab}), made on first use. The folder is 0700 and the private
 * key 0600, as OpenSSH demands. The private key is never logged or copied anywhere.
 *
 * @param privateKey the private key file (OpenSSH format, no passphrase)
 * @param publicKey  the public key line, {@code ssh-ed25519 AAAA... netnslab@HOST}
 */
record LibraryKey(Path privateKey, String publicKey) {

    static LibraryKey ensure(Path home) {
        Path privateKey = home.resolve("id_ed25519");
        Path publicFile = home.resolve("id_ed25519.pub");
        try {
            Files.createDirectories(
                    home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            if (!Files.exists(privateKey) || !Files.exists(publicFile)) {
                generate(home, privateKey, publicFile);
            }
            return new LibraryKey(privateKey, Files.readString(publicFile).strip());
        } catch (IOException | JSchException e) {
            throw new NetnsLabException(
                    "Could not create netns-lab's SSH key in " + home + ": " + e.getMessage()
                            + ". Check that the folder is writable, or point netnslab.home elsewhere",
                    e);
        }
    }

    private static void generate(Path home, Path privateKey, Path publicFile) throws IOException, JSchException {
        KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ED25519);
        try {
            // Written under temporary names and moved into place, so a concurrent run never reads half a key.
            Path privateTemp = Files.createTempFile(
                    home,
                    "id_ed25519",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(privateTemp, StandardOpenOption.TRUNCATE_EXISTING)) {
                pair.writeOpenSSHv1PrivateKey(out, null);
            }
            ByteArrayOutputStream publicKey = new ByteArrayOutputStream();
            pair.writePublicKey(publicKey, "netnslab@" + hostName());
            Path publicTemp = Files.createTempFile(home, "id_ed25519.pub", ".tmp");
            Files.writeString(
                    publicTemp, publicKey.toString(StandardCharsets.UTF_8).strip() + "\n");
            Files.move(privateTemp, privateKey, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(publicTemp, publicFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            pair.dispose();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "");
        } catch (IOException e) {
            return "localhost";
        }
    }
}
