package dev.netnslab.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.internal.backend.local.Machine;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("labs: namespaces named NAME-nlXXXXXX grouped by lab id")
class LabsCommandTest {

    @Test
    @DisplayName("groups a lab's namespaces and ignores everything else")
    void groupsByLabId() {
        String list =
                "netns1-nl4k2x9q (id: 3)\nhost-nl4k2x9q (id: 2)\nnetns1\nhost-nlzzzzzz\nmy-ns-nl12\nweb-1-nlaaaaaa\n";
        assertThat(LabsCommand.parse(list))
                .containsExactly(
                        new LabsCommand.LabEntry("nl4k2x9q", java.util.List.of("netns1-nl4k2x9q", "host-nl4k2x9q")),
                        new LabsCommand.LabEntry("nlzzzzzz", java.util.List.of("host-nlzzzzzz")),
                        new LabsCommand.LabEntry("nlaaaaaa", java.util.List.of("web-1-nlaaaaaa")));
    }

    @Test
    @DisplayName("the delete command names exactly the lab's namespaces")
    void deleteCommand() {
        assertThat(new LabsCommand.LabEntry("nl4k2x9q", java.util.List.of("netns1-nl4k2x9q", "host-nl4k2x9q"))
                        .deleteCommand())
                .isEqualTo("ip netns del netns1-nl4k2x9q && ip netns del host-nl4k2x9q");
    }

    @Test
    @DisplayName("no namespaces, no labs")
    void empty() {
        assertThat(LabsCommand.parse("")).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Tag("kernel")
    @DisplayName("on the rootless backend, labs and sweep say its labs end with their JVM and list nothing")
    void rootless() {
        String before = System.getProperty("netnslab.backend");
        System.setProperty("netnslab.backend", "rootless");
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
            LabsCommand command = new LabsCommand(Machine.current());
            assertThat(command.labs(print, print)).isZero();
            assertThat(command.sweep(print, print)).isZero();
            assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                    .contains("The rootless backend is in use here (netnslab.backend=rootless)")
                    .contains("end with that JVM")
                    .doesNotContain("Could not");
        } finally {
            if (before == null) {
                System.clearProperty("netnslab.backend");
            } else {
                System.setProperty("netnslab.backend", before);
            }
        }
    }
}
