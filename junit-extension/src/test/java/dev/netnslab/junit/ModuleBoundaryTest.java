package dev.netnslab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.testing.ApiBoundary;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The JUnit module exports dev.netnslab.junit only, and its API mentions no internal type. */
@DisplayName("the JUnit module's boundary")
class ModuleBoundaryTest {

    private final ApiBoundary junit = ApiBoundary.of(Path.of(System.getProperty("basedir", "."), "target", "classes"));

    @Test
    @DisplayName("exports dev.netnslab.junit, and nothing else")
    void exports() {
        assertThat(junit.descriptor().name()).isEqualTo("dev.netnslab.junit");
        assertThat(junit.unqualifiedExports()).containsExactly("dev.netnslab.junit");
        assertThat(junit.qualifiedExports()).isEmpty();
    }

    @Test
    @DisplayName("no public or protected signature mentions an internal type")
    void noLeaks() throws IOException {
        assertThat(junit.publicTypesOutsideApiAndInternal()).isEmpty();
        assertThat(junit.leaks()).isEmpty();
    }
}
