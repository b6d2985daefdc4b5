package dev.netnslab;

import dev.netnslab.testing.Kernel;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code ip netns list} and the root namespace's links look like; compared before and after a test. */
record KernelSnapshot(Set<String> namespaces, Set<String> rootLinks) {

    static KernelSnapshot take() {
        Set<String> links = new TreeSet<>();
        Kernel.runOk("ip", "-o", "link", "show").lines().map(l -> l.split(": ")[1].split("@")[0]).forEach(links::add);
        return new KernelSnapshot(new TreeSet<>(Kernel.namespaces()), links);
    }

    boolean exists(String systemNamespace) {
        return namespaces.contains(systemNamespace);
    }

    void assertUnchangedSince(KernelSnapshot before) {
        assertThat(namespaces).as("namespaces in ip netns list").isEqualTo(before.namespaces);
        assertThat(rootLinks).as("links in the root namespace").isEqualTo(before.rootLinks);
    }
}
