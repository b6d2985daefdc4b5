package dev.netnslab.backend;

import dev.netnslab.NetnsLabException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cloud-init user-data a VM is launched with: the project's {@code cloud-init.yaml} (shipped in
 * core) or the user's own file, with the library's public key added to the top-level
 * {@code ssh_authorized_keys}, which cloud-init gives to the image's default user.
 *
 * <p>The key is merged as text, not by a YAML library, so the file keeps its comments and layout.
 * The top-level {@code ssh_authorized_keys} must be absent, {@code []}, or a block list.
 */
final class CloudInit {

    /** Where the project's cloud-init.yaml sits inside core. */
    static final String RESOURCE = "/dev/netnslab/cloud-init.yaml";

    private static final Pattern KEYS = Pattern.compile("^ssh_authorized_keys:[ \\t]*(\\[[ \\t]*\\])?[ \\t]*(#.*)?$");
    private static final Pattern INLINE = Pattern.compile("^ssh_authorized_keys:[ \\t]*\\[.*$");
    private static final Pattern ITEM = Pattern.compile("^([ \\t]*)- .*$");

    private CloudInit() {
    }

    /** The cloud-init.yaml shipped inside core. */
    static String bundled() {
        try (InputStream in = CloudInit.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new NetnsLabException("The netns-lab jar lacks " + RESOURCE + "; it is damaged. Rebuild it, or set "
                        + dev.netnslab.Settings.MULTIPASS_CLOUD_INIT + " to a cloud-init file");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NetnsLabException("Could not read " + RESOURCE + " from the netns-lab jar: " + e.getMessage(), e);
        }
    }

    /**
     * {@code userData} with {@code publicKey} added to its top-level {@code ssh_authorized_keys}.
     *
     * @param source where the text came from, for messages
     * @throws NetnsLabException when the text is not cloud-config or lists keys in a form this cannot extend
     */
    static String withKey(String userData, String publicKey, String source) {
        if (!userData.startsWith("#cloud-config")) {
            throw new NetnsLabException("The cloud-init file " + source + " must start with '#cloud-config' (netns-lab adds "
                    + "its SSH key to it), but it starts with '" + userData.lines().findFirst().orElse("") + "'");
        }
        String entry = "\"" + publicKey.strip() + "\"";
        List<String> lines = new ArrayList<>(userData.lines().toList());
        for (int i = 0; i < lines.size(); i++) {
            Matcher keys = KEYS.matcher(lines.get(i));
            if (keys.matches()) {
                String indent = "  ";
                if (i + 1 < lines.size()) {
                    Matcher item = ITEM.matcher(lines.get(i + 1));
                    if (item.matches()) {
                        indent = item.group(1);
                    }
                }
                lines.set(i, "ssh_authorized_keys:");
                lines.add(i + 1, indent + "- " + entry);
                return String.join("\n", lines) + "\n";
            }
            if (INLINE.matcher(lines.get(i)).matches()) {
                throw new NetnsLabException("The cloud-init file " + source + " lists ssh_authorized_keys inline ('"
                        + lines.get(i) + "'); netns-lab can only add its key to a block list. Write it as\n"
                        + "ssh_authorized_keys:\n  - ssh-ed25519 AAAA...");
            }
        }
        lines.add("ssh_authorized_keys:");
        lines.add("  - " + entry);
        return String.join("\n", lines) + "\n";
    }
}
