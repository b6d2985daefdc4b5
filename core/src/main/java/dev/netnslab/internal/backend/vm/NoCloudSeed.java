package dev.netnslab.internal.backend.vm;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import dev.netnslab.NetnsLabException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * The cloud-init NoCloud seed of one qemu boot: {@code user-data} (the VM's cloud-init file with the
 * library's key, see {@link CloudInit}) and {@code meta-data} (a fresh instance id, so cloud-init
 * runs again on every boot of a copied image).
 *
 * <p>The seed also hands the VM its SSH host key. The key is made here, so its public half is known
 * before the VM answers and the first SSH connection is verified like every later one, with no
 * trust-on-first-use; the VM's own console is never needed for it.
 *
 * @param userData  the {@code user-data} file's text
 * @param metaData  the {@code meta-data} file's text
 * @param hostKey   the VM's SSH host public key, {@code ssh-ed25519 AAAA...}
 */
record NoCloudSeed(String userData, String metaData, String hostKey) {

    private static final Pattern SSH_KEYS = Pattern.compile("(?m)^ssh_keys[ \\t]*:");

    /**
     * The seed for {@code cloudConfig} (already carrying the library's key), with a new host key.
     *
     * @param source where the cloud-config came from, for messages
     */
    static NoCloudSeed create(String cloudConfig, String instanceId, String source) {
        KeyPair pair;
        try {
            pair = KeyPair.genKeyPair(new JSch(), KeyPair.ED25519);
        } catch (JSchException e) {
            throw new NetnsLabException("Could not make an SSH host key for the VM: " + e.getMessage(), e);
        }
        try {
            ByteArrayOutputStream privateKey = new ByteArrayOutputStream();
            pair.writeOpenSSHv1PrivateKey(privateKey, null);
            ByteArrayOutputStream publicKey = new ByteArrayOutputStream();
            pair.writePublicKey(publicKey, instanceId);
            return of(
                    cloudConfig,
                    instanceId,
                    privateKey.toString(StandardCharsets.UTF_8),
                    publicKey.toString(StandardCharsets.UTF_8).strip(),
                    source);
        } catch (JSchException e) {
            throw new NetnsLabException("Could not write the VM's SSH host key: " + e.getMessage(), e);
        } finally {
            pair.dispose();
        }
    }

    /** The seed with a given host key pair; pure. */
    static NoCloudSeed of(
            String cloudConfig, String instanceId, String hostPrivateKey, String hostPublicKey, String source) {
        if (SSH_KEYS.matcher(cloudConfig).find()) {
            throw new NetnsLabException(
                    "The cloud-init file " + source + " sets ssh_keys, but the qemu backend gives the "
                            + "VM its own SSH host key that way, so that the first connection is verified. Remove ssh_keys from it.");
        }
        String[] publicWords = hostPublicKey.strip().split("\\s+");
        StringBuilder userData = new StringBuilder(cloudConfig.endsWith("\n") ? cloudConfig : cloudConfig + "\n");
        userData.append("# Added by netns-lab: the VM's SSH host key, made for this boot.\n")
                .append("ssh_keys:\n")
                .append("  ed25519_private: |\n");
        hostPrivateKey
                .strip()
                .lines()
                .forEach(line -> userData.append("    ").append(line).append('\n'));
        userData.append("  ed25519_public: \"")
                .append(publicWords[0])
                .append(' ')
                .append(publicWords[1])
                .append("\"\n");
        String metaData = "instance-id: " + instanceId + "\nlocal-hostname: netnslab-vm\n";
        return new NoCloudSeed(userData.toString(), metaData, publicWords[0] + " " + publicWords[1]);
    }

    /** Writes {@code user-data} and {@code meta-data} into {@code folder} (0700; the files 0600: they hold the host key). */
    void writeTo(Path folder) {
        try {
            Files.createDirectories(
                    folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            write(folder.resolve("user-data"), userData);
            write(folder.resolve("meta-data"), metaData);
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Could not write the VM's cloud-init seed into " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }

    /** The known_hosts line for the VM as the host reaches it. */
    String knownHostsLine(String host, int port) {
        return (port == 22 ? host : "[" + host + "]:" + port) + " " + hostKey;
    }
}
