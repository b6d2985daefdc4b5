package dev.netnslab.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ip netns list} and the root namespace's links, to check from outside that nothing leaked. */
record RootSnapshot(Set<String> namespaces, Set<String> links) {

    static RootSnapshot take() {
        Set<String> namespaces = new TreeSet<>();
        run(List.of("ip", "netns", "list")).lines().map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty()).forEach(namespaces::add);
        Set<String> links = new TreeSet<>();
        run(List.of("ip", "-o", "link", "show")).lines().map(l -> l.split(": ")[1].split("@")[0]).forEach(links::add);
        return new RootSnapshot(namespaces, links);
    }

    void assertUnchangedSince(RootSnapshot before) {
        assertThat(namespaces).as("namespaces in ip netns list").isEqualTo(before.namespaces);
        assertThat(links).as("links in the root namespace").isEqualTo(before.links);
    }

    private static String run(List<String> argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
