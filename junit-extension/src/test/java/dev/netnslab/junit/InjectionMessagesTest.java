package dev.netnslab.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A handle that cannot be injected is reported so that it can be found and fixed from the message
 * alone: the parameter's position and type (its name only when compiled in), or the field, the
 * method, the lab's namespaces, and what to write.
 */
@Tag("kernel")
@DisplayName("Injection errors name the parameter or field, the method, the namespaces and the fix")
class InjectionMessagesTest {

    /** Two namespaces, so a plain Namespace is ambiguous. */
    public static class Pair implements LabTopology {
        @Override
        public LabSpec define() {
            return LabSpec.builder()
                    .namespace("left")
                    .namespace("right")
                    .veth("left", "to-right", "right", "to-left")
                    .address("left", "to-right", "10.204.0.1/30")
                    .address("right", "to-left", "10.204.0.2/30")
                    .build();
        }
    }

    private static Throwable onlyFailure(Class<?> testCase) {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .execute()
                .testEvents();
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        return tests.failed().stream()
                .findFirst()
                .orElseThrow()
                .getPayload(TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
    }

    @Test
    @DisplayName("a Namespace parameter without @Netns: its position and type, the method, the names to pick from")
    void ambiguousParameter() {
        Throwable failure = onlyFailure(AmbiguousParameterTestCase.class);
        assertThat(failure)
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageStartingWith("Cannot inject parameter 1 (Namespace) of "
                        + "InjectionMessagesTest.AmbiguousParameterTestCase.which(Lab, Namespace): ")
                .hasMessageContaining("the lab has 2 namespaces [left, right]")
                .hasMessageContaining("@Netns(\"left\"), @Netns(\"right\"), or @Netns(\"host\")")
                .hasMessageNotContaining("arg1");
    }

    @Test
    @DisplayName("a parameter's name is given when the class is compiled with -parameters")
    void parameterName(@TempDir Path classes) throws Exception {
        try (URLClassLoader loader = compileWithParameterNames(classes, "NamedParameterTestCase", """
                package dev.netnslab.junit.compiled;

                public class NamedParameterTestCase {
                    @org.junit.jupiter.api.extension.RegisterExtension
                    static dev.netnslab.junit.NetnsLabExtension lab = dev.netnslab.junit.NetnsLabExtension.of(
                            dev.netnslab.LabSpec.builder().namespace("left").namespace("right").build());

                    @org.junit.jupiter.api.Test
                    public void which(dev.netnslab.Namespace client) {
                    }
                }
                """)) {
            Class<?> compiled = loader.loadClass("dev.netnslab.junit.compiled.NamedParameterTestCase");
            assertThat(compiled.getMethod("which", Namespace.class)
                            .getParameters()[0]
                            .isNamePresent())
                    .isTrue();

            assertThat(onlyFailure(compiled))
                    .hasMessageStartingWith("Cannot inject parameter 0 'client' (Namespace) of"
                            + " NamedParameterTestCase.which(Namespace): the lab has 2 namespaces [left, right]");
        }
    }

    @Test
    @DisplayName("a Namespace field without @Netns: the field, its class and the names to pick from")
    void ambiguousField() {
        assertThat(onlyFailure(AmbiguousFieldTestCase.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith(
                        "Cannot inject field 'peer' (Namespace) of InjectionMessagesTest.AmbiguousFieldTestCase: ")
                .hasMessageContaining("the lab has 2 namespaces [left, right]")
                .hasMessageContaining("@Netns(\"left\")");
    }

    @Test
    @DisplayName("@Netns with a name the lab lacks: the name, the names it has, and the host side")
    void unknownName() {
        assertThat(onlyFailure(UnknownNameTestCase.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Cannot inject field 'peer' (Namespace) of InjectionMessagesTest.UnknownNameTestCase: "
                        + "@Netns(\"lefty\") names no namespace of the lab; it has [left, right], and \"host\" is its host side;"
                        + " use one of those names");
    }

    @Test
    @DisplayName("a final field: which one, and that 'final' must go")
    void finalField() {
        assertThat(onlyFailure(FinalFieldTestCase.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Cannot inject field 'lab' (Lab) of InjectionMessagesTest.FinalFieldTestCase: it is final;"
                        + " remove 'final' so that NetnsLabExtension can set the lab's handle");
    }

    @Test
    @DisplayName("the twin: the same parameter with @Netns is injected")
    void resolvedTwin() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(PickedTestCase.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    // ---- fixtures, run only through the test kit ----

    @NetnsLab(topology = Pair.class)
    static class AmbiguousParameterTestCase {
        @Test
        void which(Lab lab, Namespace ns) {}
    }

    @NetnsLab(topology = Pair.class)
    static class PickedTestCase {
        @Test
        void which(Lab lab, @Netns("right") Namespace ns) {
            assertThat(ns.name()).isEqualTo("right");
        }
    }

    @NetnsLab(topology = Pair.class)
    static class AmbiguousFieldTestCase {
        Namespace peer;

        @Test
        void never() {}
    }

    @NetnsLab(topology = Pair.class)
    static class UnknownNameTestCase {
        @Netns("lefty")
        Namespace peer;

        @Test
        void never() {}
    }

    @NetnsLab(topology = Pair.class)
    static class FinalFieldTestCase {
        final Lab lab = null;

        @Test
        void never() {}
    }

    // ---- helpers ----

    /** Compiles one fixture class with {@code -parameters} (which this build does not use), for a loader to load. */
    private static URLClassLoader compileWithParameterNames(Path classes, String simpleName, String source)
            throws Exception {
        Path file = classes.resolve(simpleName + ".java");
        Files.writeString(file, source);
        String classPath = Stream.of(
                        NetnsLab.class,
                        Namespace.class,
                        Test.class,
                        org.junit.jupiter.api.extension.RegisterExtension.class)
                .map(InjectionMessagesTest::location)
                .collect(Collectors.joining(File.pathSeparator));
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        StringWriter output = new StringWriter();
        PrintWriter out = new PrintWriter(output, true);
        int exit =
                javac.run(out, out, "-parameters", "-classpath", classPath, "-d", classes.toString(), file.toString());
        assertThat(exit).as("javac: %s", output).isZero();
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, InjectionMessagesTest.class.getClassLoader());
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
