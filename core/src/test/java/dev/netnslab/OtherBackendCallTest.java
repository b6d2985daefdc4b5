package dev.netnslab;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** On a backend that is not this JVM's kernel, Java code cannot enter a namespace, and checks stay processes. */
@DisplayName("Namespace.call on another backend")
class OtherBackendCallTest {

    @Test
    @DisplayName("call and executor refuse, saying the JVM is not on the lab's kernel; nothing runs")
    void refusesWithReason() {
        RecordingBackend backend = new RecordingBackend();
        try (Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend, RecordingBackend.SETTINGS)) {
            Namespace ns = lab.namespace("netns1");
            int before = backend.commands().size();
            assertThatThrownBy(() -> ns.call(() -> 1)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Namespace.call and Namespace.executor run Java code on threads of this JVM inside namespace netns1")
                    .hasMessageContaining("the lab runs on the " + backend.name() + " backend, so its namespaces are on another kernel")
                    .hasMessageContaining("Use exec() or spawn()");
            assertThatThrownBy(ns::executor).isInstanceOf(UnsupportedOperationException.class);
            assertThat(backend.commands()).hasSize(before);
        }
    }

    @Test
    @DisplayName("canPing falls back to the ping process there")
    void checksUseProcesses() {
        RecordingBackend backend = new RecordingBackend();
        try (Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), backend, RecordingBackend.SETTINGS)) {
            assertThat(lab.host()).canPing("10.200.1.1");
            assertThat(backend.commands()).anySatisfy(c -> assertThat(c.argv()).contains("ping"));
        }
    }
}
