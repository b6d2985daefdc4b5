package dev.netnslab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code ip netns list} and the root namespace's links look like, to check after a test that
 * its labs left nothing behind. Other builds and test runs may share the machine and build labs of
 * their own at the same time, so a check only counts what this JVM's labs could have left:
 * <ul>
 *   <li>a namespace that appeared since the snapshot, has a lab's system name
 *       ({@code NAME-nlXXXXXX}), and is named by an ownership record of this JVM: a lab's record
 *       exists before its namespaces and goes only after them, so a namespace this JVM's lab left is
 *       always named by one. Lab-shaped namespaces without a record are other builds' hand-made
 *       fixtures (the sweep and watchdog tests make such), never this JVM's labs;</li>
 *   <li>a root-namespace link that appeared since the snapshot and has a name labs use for their
 *       links ({@code veth1}, {@code veth2}, {@code veth-NAME}): labs never create links there.</li>
 * </ul>
 */
public record KernelSnapshot(Set<String> namespaces, Set<String> rootLinks) {

    private static final Pattern LAB_SYSTEM_NAME = Pattern.compile(".+-nl[a-z0-9]{6}");
    private static final Pattern LAB_LINK = Pattern.compile("veth[12]|veth-.+");
    private static final Path RECORDS = Path.of("/run/netnslab/labs");

    public static KernelSnapshot take() {
        Set<String> links = new TreeSet<>();
        Kernel.runOk("ip", "-o", "link", "show")
                .lines()
                .map(l -> l.split(": ")[1].split("@")[0])
                .forEach(links::add);
        return new KernelSnapshot(new TreeSet<>(Kernel.namespaces()), links);
    }

    public boolean exists(String systemNamespace) {
        return namespaces.contains(systemNamespace);
    }

    /** Fails if this JVM's labs left a namespace or a root-namespace link behind since {@code before}. */
    public void assertUnchangedSince(KernelSnapshot before) {
        Map<String, Long> owners = recordOwners();
        long self = ProcessHandle.current().pid();
        assertThat(namespaces.stream()
                        .filter(ns -> !before.namespaces.contains(ns))
                        .filter(ns -> LAB_SYSTEM_NAME.matcher(ns).matches())
                        .filter(ns -> owners.getOrDefault(ns, -1L) == self))
                .as("lab namespaces this JVM left in ip netns list")
                .isEmpty();
        assertThat(rootLinks.stream()
                        .filter(link -> !before.rootLinks.contains(link))
                        .filter(link -> LAB_LINK.matcher(link).matches()))
                .as("lab links left in the root namespace")
                .isEmpty();
    }

    /** Namespace to owner pid, from the ownership records of labs that live right now. */
    private static Map<String, Long> recordOwners() {
        Map<String, Long> owners = new HashMap<>();
        if (!Files.isDirectory(RECORDS)) {
            return owners;
        }
        try (Stream<Path> files = Files.list(RECORDS)) {
            for (Path file : files.toList()) {
                long pid = -1;
                Set<String> names = new TreeSet<>();
                try {
                    for (String line : Files.readAllLines(file)) {
                        if (line.startsWith("owner-pid=")) {
                            pid = Long.parseLong(line.substring("owner-pid=".length()));
                        } else if (line.startsWith("namespace=")) {
                            names.add(line.substring("namespace=".length()));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    continue; // a record removed or being written meanwhile
                }
                for (String name : names) {
                    owners.put(name, pid);
                }
            }
        } catch (IOException e) {
            return owners;
        }
        return owners;
    }
}
