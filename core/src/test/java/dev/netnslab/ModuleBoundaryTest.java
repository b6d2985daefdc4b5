package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.testing.ApiBoundary;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The core module exports the API and nothing else, and no API signature mentions an internal type. */
@DisplayName("core's module boundary")
class ModuleBoundaryTest {

    private final ApiBoundary core = ApiBoundary.of(Path.of(System.getProperty("basedir", "."), "target", "classes"));

    @Test
    @DisplayName("exports dev.netnslab, .assertj and .backend to everyone, internals only to the JUnit module")
    void exports() {
        assertThat(core.descriptor().name()).isEqualTo("dev.netnslab.core");
        assertThat(core.unqualifiedExports())
                .containsExactly("dev.netnslab", "dev.netnslab.assertj", "dev.netnslab.backend");
        assertThat(core.qualifiedExports())
                .allSatisfy(export ->
                        assertThat(export).startsWith(ApiBoundary.INTERNAL).endsWith(" to dev.netnslab.junit"));
    }

    @Test
    @DisplayName("every public type is in an exported package or under dev.netnslab.internal")
    void noStrayPublicTypes() throws IOException {
        assertThat(core.publicTypesOutsideApiAndInternal()).isEmpty();
    }

    @Test
    @DisplayName("no public or protected signature of the API mentions an internal type")
    void noLeaks() throws IOException {
        assertThat(core.leaks()).isEmpty();
    }
}
