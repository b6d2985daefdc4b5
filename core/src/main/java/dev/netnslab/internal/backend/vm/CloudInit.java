package dev.netnslab.internal.backend.vm;

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
 * core) or the user's own file, with the library's public key added to the login user's
 * {@code ssh_authorized_keys}.
 *
 * <p>When the file defines the login user under {@code users:} ({@code - name: netnslab}), the key
 * goes into that user's list; otherwise into the top-level list, which cloud-init gives to the
 * image's default user ({@code ubuntu}). The key is merged as text, not by a YAML library, so the
 * file keeps its comments and layout; the list must be absent, {@code []}, or a block list.
 */
final class CloudInit {

    /** Where the project's cloud-init.yaml sits inside core. */
    static final String RESOURCE = "/dev/netnslab/cloud-init.yaml";

    private static final Pattern ITEM = Pattern.compile("^([ \\t]*)- .*$");

    private CloudInit() {}

    /** The cloud-init.yaml shipped inside core. */
    static String bundled() {
        try (InputStream in = CloudInit.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new NetnsLabException(
                        "The netns-lab jar lacks " + RESOURCE + "; it is damaged. Rebuild it, or set "
                                + dev.netnslab.internal.settings.Setting.VM_CLOUD_INIT + " to a cloud-init file");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NetnsLabException("Could not read " + RESOURCE + " from the netns-lab jar: " + e.getMessage(), e);
        }
    }

    /**
     * {@code userData} with {@code publicKey} added for {@code user}.
     *
     * @param source where the text came from, for messages
     * @throws NetnsLabException when the text is not cloud-config or lists keys in a form this cannot extend
     */
    static String withKey(String userData, String publicKey, String user, String source) {
        if (!userData.startsWith("#cloud-config")) {
            throw new NetnsLabException("The cloud-init file " + source
                    + " must start with '#cloud-config' (netns-lab adds " + "its SSH key to it), but it starts with '"
                    + userData.lines().findFirst().orElse("") + "'");
        }
        String entry = "\"" + publicKey.strip() + "\"";
        List<String> lines = new ArrayList<>(userData.lines().toList());
        Pattern userItem =
                Pattern.compile("^([ \\t]*)- name:[ \\t]*[\"']?" + Pattern.quote(user) + "[\"']?[ \\t]*(#.*)?$");
        for (int i = 0; i < lines.size(); i++) {
            Matcher item = userItem.matcher(lines.get(i));
            if (item.matches()) {
                addToUser(lines, i, item.group(1).length(), entry, source);
                return String.join("\n", lines) + "\n";
            }
        }
        addToList(lines, 0, lines.size(), "", entry, source);
        return String.join("\n", lines) + "\n";
    }

    /** Adds the key to the list of the user item that starts at line {@code start}. */
    private static void addToUser(List<String> lines, int start, int itemIndent, String entry, String source) {
        int end = start + 1;
        while (end < lines.size() && (lines.get(end).isBlank() || indentOf(lines.get(end)) > itemIndent)) {
            end++;
        }
        while (end > start + 1 && lines.get(end - 1).isBlank()) {
            end--;
        }
        addToList(lines, start + 1, end, " ".repeat(itemIndent + 2), entry, source);
    }

    /**
     * Adds the key to the {@code ssh_authorized_keys} written at {@code indent} between lines
     * {@code from} and {@code to}, or adds such a list at {@code to}.
     */
    private static void addToList(List<String> lines, int from, int to, String indent, String entry, String source) {
        Pattern empty = Pattern.compile("^" + indent + "ssh_authorized_keys:[ \\t]*(\\[[ \\t]*\\])?[ \\t]*(#.*)?$");
        Pattern inline = Pattern.compile("^" + indent + "ssh_authorized_keys:[ \\t]*\\[.*$");
        for (int i = from; i < to; i++) {
            if (empty.matcher(lines.get(i)).matches()) {
                String itemIndent = indent + "  ";
                if (i + 1 < lines.size()) {
                    Matcher next = ITEM.matcher(lines.get(i + 1));
                    if (next.matches() && next.group(1).length() >= indent.length()) {
                        itemIndent = next.group(1);
                    }
                }
                lines.set(i, indent + "ssh_authorized_keys:");
                lines.add(i + 1, itemIndent + "- " + entry);
                return;
            }
            if (inline.matcher(lines.get(i)).matches()) {
                throw new NetnsLabException("The cloud-init file " + source + " lists ssh_authorized_keys inline ('"
                        + lines.get(i).strip()
                        + "'); netns-lab can only add its key to a block list or []. Write it as\n"
                        + "ssh_authorized_keys:\n  - ssh-ed25519 AAAA...");
            }
        }
        lines.add(to, indent + "ssh_authorized_keys:");
        lines.add(to + 1, indent + "  - " + entry);
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
