package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.netnslab.internal.settings.Settings;
import dev.netnslab.testing.Kernel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Faults on the real kernel: a name taken by a foreign object, a hanging command, a teardown that fails. */
@Tag("kernel")
@DisplayName("Faults")
class LabFaultTest {

    private static final LabSpec SEED = LabSpec.singleNamespace("netns1", "10.200.1.1", null);
    private static final Path RECORDS = Path.of("/run/netnslab/labs");

    private final List<String> handMade = new ArrayList<>();

    @AfterEach
    void removeWhatTheTestMadeByHand() {
        Kernel.deleteNamespaces(handMade.toArray(String[]::new));
    }

    @Nested
    @DisplayName("a name already taken by a foreign namespace")
    class NameTaken {

        @Test
        @DisplayName("part-way through the build: the lab rolls back, and the foreign namespace is untouched")
        void partWay() {
            assertRollsBackAround("netns1");
        }

        @Test
        @DisplayName("at the very first step: nothing is created, and the foreign namespace is untouched")
        void atTheStart() {
            assertRollsBackAround("host");
        }

        private void assertRollsBackAround(String takenLogicalName) {
            String id = Kernel.randomLabId();
            String foreign = takenLogicalName + "-" + id;
            Kernel.addForeignNamespace(foreign);
            handMade.add(foreign);
            String identity = inode(foreign);

            NetnsLabException failure = catchThrowableOfType(
                    NetnsLabException.class, () -> Lab.start(SEED, Kernel.backend(), Settings.fromSystem(), id));

            assertThat(failure)
                    .hasMessageContaining("Could not build lab " + id)
                    .hasMessageContaining("everything the lab created so far has been removed")
                    .hasMessageContaining("File exists");
            assertThat(Kernel.namespacesOf(List.of(id)))
                    .as("only the foreign namespace may remain")
                    .containsExactly(foreign);
            assertThat(inode(foreign))
                    .as("the foreign namespace must be the very same object")
                    .isEqualTo(identity);
            assertThat(RECORDS.resolve(id + ".lab"))
                    .as("a rolled-back lab leaves no record")
                    .doesNotExist();
        }

        private String inode(String namespace) {
            return Kernel.runOk("stat", "-L", "-c", "%i", "/run/netns/" + namespace)
                    .strip();
        }
    }

    @Test
    @DisplayName("a command that outlives its timeout is killed, and the exception names the command and the limit")
    void timeoutsAreEnforced() {
        try (Lab lab = Lab.start(SEED, Kernel.backend())) {
            Namespace ns = lab.namespace("netns1");

            CommandTimeoutException timeout = catchThrowableOfType(
                    CommandTimeoutException.class, () -> ns.exec(Duration.ofMillis(300), "sleep", "30"));

            assertThat(timeout).hasMessageContaining("300 ms").hasMessageContaining("sleep 30");
            assertThat(timeout.timeout()).isEqualTo(Duration.ofMillis(300));
            // The kill is sent at the timeout; the process leaves the namespace a moment later.
            await("the timed-out process to leave the namespace")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(pidsIn(ns))
                            .as("processes in the namespace")
                            .isEmpty());
        }
    }

    @Test
    @DisplayName("a teardown step that fails is reported with its cause, after every other step has run")
    void teardownFailuresAreReported() {
        Lab lab = Lab.start(SEED, Kernel.backend());
        List<String> names =
                List.of(lab.host().systemName(), lab.namespace("netns1").systemName());
        Kernel.breakRecordRemoval(lab.id());
        try {
            NetnsLabException failure = catchThrowableOfType(NetnsLabException.class, lab::close);

            assertThat(failure)
                    .hasMessageContaining("Could not fully tear down lab " + lab.id())
                    .hasMessageContaining("Could not remove the ownership record of lab " + lab.id())
                    .hasMessageContaining("Is a directory");
            assertThat(failure.getSuppressed()).hasSize(1);
            assertThat(Kernel.namespaces())
                    .as("the namespaces are deleted all the same")
                    .doesNotContainAnyElementsOf(names);
        } finally {
            Kernel.repairRecordRemoval(lab.id());
        }
    }

    private static List<String> pidsIn(Namespace ns) {
        return Kernel.runOk("ip", "netns", "pids", ns.systemName()).lines().toList();
    }
}
