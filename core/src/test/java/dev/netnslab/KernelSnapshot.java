package dev.netnslab;

import dev.netnslab.exec.Command;
import dev.netnslab.exec.LocalRunner;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code ip netns list} and the root namespace's links look like; compared before and after a test. */
record KernelSnapshot(Set<String> namespaces, Set<String> rootLinks) {

    static KernelSnapshot take() {
        LocalRunner runner = new LocalRunner();
        Set<String> namespaces = new TreeSet<>();
        runner.run(Command.of(Duration.ofSeconds(10), List.of("ip", "netns", "list"))).stdout().lines()
                .map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty()).forEach(namespaces::add);
        Set<String> links = new TreeSet<>();
        runner.run(Command.of(Duration.ofSeconds(10), List.of("ip", "-o", "link", "show"))).stdout().lines()
                .map(l -> l.split(": ")[1].split("@")[0]).forEach(links::add);
        return new KernelSnapshot(namespaces, links);
    }

    boolean exists(String systemNamespace) {
        return namespaces.contains(systemNamespace);
    }

    void assertUnchangedSince(KernelSnapshot before) {
        assertThat(namespaces).as("namespaces in ip netns list").isEqualTo(before.namespaces);
        assertThat(rootLinks).as("links in the root namespace").isEqualTo(before.rootLinks);
    }
}
