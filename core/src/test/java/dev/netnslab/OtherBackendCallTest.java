package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.settings.Settings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** On a backend that is not this JVM's kernel, Java code cannot enter a namespace, and checks stay processes. */
@DisplayName("Namespace.call on another backend")
class OtherBackendCallTest {

    @Test
    @DisplayName("call and executor refuse, saying the JVM is not on the lab's kernel; nothing runs")
    void refusesWithReason() {
        RecordingBackend backend = new RecordingBackend();
        try (Lab lab =
                Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend, RecordingBackend.SETTINGS)) {
            Namespace ns = lab.namespace("netns1");
            int before = backend.commands().size();
            assertThatThrownBy(() -> ns.call(() -> 1))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining(
                            "Namespace.call and Namespace.executor run Java code on threads of this JVM inside namespace netns1")
                    .hasMessageContaining("the lab runs on the " + backend.name()
                            + " backend, so its namespaces are on another kernel")
                    .hasMessageContaining("Use exec() or spawn()");
            assertThatThrownBy(ns::executor).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> ns.callAsync(() -> 1))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Use exec() or spawn()");
            assertThatThrownBy(ns::socketFactory).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(ns::serverSocketFactory).isInstanceOf(UnsupportedOperationException.class);
            assertThat(ns.canCall()).isFalse();
            assertThat(lab.canCall()).isFalse();
            assertThat(backend.commands()).hasSize(before);
        }
    }

    @Nested
    @DisplayName("canPing falls back to the ping process there")
    class PingProcess {

        // A short budget: the failing check retries until it runs out.
        private final Settings settings = Settings.of(
                key -> Optional.ofNullable(Map.of(
                                "netnslab.watchdog",
                                "false",
                                "netnslab.sweep",
                                "false",
                                "netnslab.ping.timeout",
                                "300ms")
                        .get(key)),
                Map.of());

        private final RecordingBackend backend = new RecordingBackend();

        @Test
        @DisplayName("a passing check runs one ping inside the namespace, with one echo and its deadline")
        void runsPing() {
            try (Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend, settings)) {
                int before = backend.commands().size();
                assertThat(lab.host()).canPing("10.200.1.1");
                assertThat(argvSince(before))
                        .containsExactly(List.of(
                                "ip",
                                "netns",
                                "exec",
                                lab.host().systemName(),
                                "ping",
                                "-4",
                                "-n",
                                "-q",
                                "-c",
                                "1",
                                "-W",
                                "0.250",
                                "10.200.1.1"));
            }
        }

        @Test
        @DisplayName("a ping that exits 1 fails canPing with the command and its exit, and passes cannotPing")
        void reportsAFailingPing() {
            try (Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend, settings)) {
                backend.answer("ping", 1, "");
                assertThatThrownBy(() -> assertThat(lab.host()).canPing("10.200.1.1"))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("Expecting namespace <host> to reach <10.200.1.1> but ping failed")
                        .hasMessageContaining("command: ip netns exec "
                                + lab.host().systemName() + " ping -4 -n -q -c 1 -W 0.250 10.200.1.1")
                        .hasMessageContaining("exit code: 1");
                assertThat(lab.host()).cannotPing("10.200.1.1");
            }
        }

        private List<List<String>> argvSince(int first) {
            List<Command> commands = backend.commands();
            return commands.subList(first, commands.size()).stream()
                    .map(Command::argv)
                    .toList();
        }
    }
}
