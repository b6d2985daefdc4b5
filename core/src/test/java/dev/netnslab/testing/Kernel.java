package dev.netnslab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.backend.local.LocalBackend;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.exec.Command;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Looks at the local kernel from outside the library, for tests that check what labs leave behind.
 * Other test runs may share the machine, so checks are always about names a test knows, never
 * about the whole namespace list.
 */
public final class Kernel {

    private static final LocalRunner RUNNER = new LocalRunner();
    private static volatile LocalBackend backend;

    private Kernel() {}

    /** The local backend, probed once. */
    public static LocalBackend backend() {
        if (backend == null) {
            backend = LocalBackend.probe("ip");
        }
        return backend;
    }

    /** Runs argv on this machine, as the tests' own hands. */
    public static ExecResult run(String... argv) {
        return RUNNER.run(Command.of(Duration.ofSeconds(30), Arrays.asList(argv)));
    }

    /** Runs argv and fails the test unless it succeeds. */
    public static String runOk(String... argv) {
        ExecResult result = run(argv);
        assertThat(result.isSuccess()).as(result.describe()).isTrue();
        return result.stdout();
    }

    /** The names in {@code ip netns list}. */
    public static Set<String> namespaces() {
        return runOk("ip", "netns", "list")
                .lines()
                .map(l -> l.split("\\s+")[0])
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The namespaces whose names end in {@code -<labId>} for any of {@code labIds}. */
    public static Set<String> namespacesOf(Collection<String> labIds) {
        return namespaces().stream()
                .filter(n -> labIds.stream().anyMatch(id -> n.endsWith("-" + id)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Waits up to {@code limit} until none of {@code names} is listed; fails the test if one stays. */
    public static void awaitGone(Collection<String> names, Duration limit) {
        await("namespaces " + names + " to be gone")
                .atMost(limit)
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(namespaces()).doesNotContainAnyElementsOf(names));
    }

    /** Adds a namespace the way a user (or another tool) would: not through the library. */
    public static void addForeignNamespace(String name) {
        runOk("ip", "netns", "add", name);
    }

    /** Deletes namespaces a test created by hand; silent about ones already gone. */
    public static void deleteNamespaces(String... names) {
        for (String name : names) {
            run("ip", "netns", "del", name);
        }
    }

    /**
     * Makes the removal of lab {@code labId}'s ownership record fail, the last step of its teardown:
     * the record file becomes a non-empty directory, which {@code rm -f} refuses to remove. (Pinning
     * a namespace with stacked bind mounts would be closer to life, but on the shared /run/netns
     * mount each layer doubles the mounts of the whole machine.)
     */
    public static String breakRecordRemoval(String labId) {
        String record = "/run/netnslab/labs/" + labId + ".lab";
        runOk("rm", "-f", record);
        runOk("mkdir", "-m", "0700", record);
        runOk("mkdir", "-m", "0700", record + "/keep");
        return record;
    }

    /** Undoes {@link #breakRecordRemoval(String)}. */
    public static void repairRecordRemoval(String labId) {
        // In this JVM, not through a command that a loaded machine may time out: a record left as a
        // directory would outlive the run.
        java.nio.file.Path record = java.nio.file.Path.of("/run/netnslab/labs/" + labId + ".lab");
        try (java.util.stream.Stream<java.nio.file.Path> tree = java.nio.file.Files.walk(record)) {
            for (java.nio.file.Path path :
                    tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(path);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // already gone
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not remove " + record, e);
        }
    }

    /** A random suffix in the library's lab-id form ({@code nl} and 6 characters). */
    public static String randomLabId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder("nl");
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 6; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    public static List<String> lines(String text) {
        return text.lines().toList();
    }

    public static void sleep(long millis) {
        Deadline.pause(Duration.ofMillis(millis), "a test's pause");
    }
}
