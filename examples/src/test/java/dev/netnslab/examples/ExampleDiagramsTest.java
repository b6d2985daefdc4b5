package dev.netnslab.examples;

import dev.netnslab.LabSpec;
import dev.netnslab.diagram.LabDiagram;
import dev.netnslab.junit.NetnsLab;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's pictures of the examples true: each example's lab is drawn from its
 * {@code @NetnsLab} and compared with {@code docs/diagrams/NAME.svg} and {@code NAME.mmd}.
 * Regenerate them with
 * {@code ./mvnw -q -pl examples -am test -Dtest=ExampleDiagramsTest -Dsurefire.failIfNoSpecifiedTests=false -Dnetnslab.docs.write=true}.
 */
@DisplayName("docs/diagrams holds the current picture of every example")
class ExampleDiagramsTest {

    static Stream<Arguments> examples() {
        return Stream.of(Arguments.of("scenario1", Scenario1SingleNamespaceTest.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void diagramIsCurrent(String name, Class<?> example) throws IOException {
        NetnsLab lab = example.getAnnotation(NetnsLab.class);
        LabDiagram diagram = LabDiagram.of(LabSpec.singleNamespace(lab.ns(), lab.ip(), lab.hostIp()).topology());
        Path dir = docsDirectory().resolve("diagrams");
        check(dir.resolve(name + ".mmd"), diagram.mermaid());
        check(dir.resolve(name + ".svg"), diagram.svg());
    }

    private static void check(Path file, String expected) throws IOException {
        if (Boolean.getBoolean("netnslab.docs.write")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertThat(file).as("%s is missing or stale; regenerate it with -Dnetnslab.docs.write=true (see this class' javadoc)", file)
                .exists().hasContent(expected);
    }

    /** The repository's docs/, found from the examples module's directory. */
    private static Path docsDirectory() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent().resolve("docs");
    }
}
