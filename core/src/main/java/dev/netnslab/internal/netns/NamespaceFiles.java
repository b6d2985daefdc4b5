package dev.netnslab.internal.netns;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes named network namespaces the way {@code ip netns del} does, without starting it: detach
 * the bind mount at {@code /run/netns/NAME}, then remove the file. The kernel frees the namespace,
 * and the interfaces in it, once nothing holds it any more. Saves a process per lab teardown where
 * process starts are dear; used only when this JVM runs as root on the lab's machine.
 */
public final class NamespaceFiles {

    private static final Path NETNS_DIR = Path.of("/run/netns");

    private NamespaceFiles() {}

    /**
     * Deletes the namespaces {@code systemNames}.
     *
     * @return the names that are still there, for the caller's own way of deleting them
     */
    public static List<String> delete(List<String> systemNames) {
        List<String> left = new ArrayList<>();
        for (String name : systemNames) {
            Path file = NETNS_DIR.resolve(name);
            if (!file.getParent().equals(NETNS_DIR)) {
                // Names come from the lab's own plan; anything that would leave /run/netns is not one of them.
                left.add(name);
                continue;
            }
            try {
                Libc.umount2(file.toString(), Libc.MNT_DETACH);
            } catch (LastErrorException e) {
                // Not mounted (any more): removing the file is all that is left to do, as for ip netns del.
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                left.add(name);
            }
        }
        return left;
    }
}
