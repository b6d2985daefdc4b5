package dev.netnslab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and docs/ compiles against the library, so no snippet a
 * reader copies can rot. A block that declares a class is compiled as a source file; any other block
 * is a fragment of statements, compiled as the body of a method that may throw, in a class with the
 * fields {@code Lab lab} and {@code Namespace ns}. Both get the imports a test of this library uses. A
 * broken block fails the test with the Markdown file and line of the error.
 */
@DisplayName("the Java snippets of README.md and docs/ compile")
class DocumentationSnippetsTest {

    private static final List<String> IMPORTS = List.of(
            "import static dev.netnslab.assertj.NetnsAssertions.assertThat;",
            "import static org.assertj.core.api.Assertions.assertThat;",
            "import static org.assertj.core.api.Assertions.assertThatThrownBy;",
            "import static org.junit.jupiter.api.Assumptions.assumeTrue;",
            "import dev.netnslab.*;",
            "import dev.netnslab.assertj.*;",
            "import dev.netnslab.backend.*;",
            "import dev.netnslab.junit.*;",
            "import dev.netnslab.examples.*;",
            "import org.junit.jupiter.api.*;",
            "import org.junit.jupiter.api.extension.*;",
            "import java.io.*;",
            "import java.net.*;",
            "import java.nio.file.*;",
            "import java.time.Duration;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import javax.net.*;");

    private static final Pattern DECLARES_A_TYPE =
            Pattern.compile("^(public |abstract |final )*(class|interface|record|enum) ", Pattern.MULTILINE);

    /** One {@code ```java} block: where it is, and its text. */
    record Snippet(Path file, int firstLine, String code) {
        String where() {
            return file + ":" + firstLine;
        }
    }

    @Test
    @DisplayName("every java block of README.md and docs/*.md compiles")
    void everySnippetCompiles(@TempDir Path classes) throws IOException {
        List<Snippet> snippets = snippets(repositoryRoot());
        assertThat(snippets).as("java blocks in README.md and docs/").hasSizeGreaterThan(10);
        assertThat(compile(snippets, classes))
                .as("snippets that do not compile")
                .isEmpty();
    }

    @Test
    @DisplayName("a broken snippet is reported with its file and line")
    void aBrokenSnippetIsReported(@TempDir Path dir) throws IOException {
        Path doc = dir.resolve("broken.md");
        Files.writeString(doc, "# A page\n\nText.\n\n```java\nLab lab2 = lab;\nlab2.nosuchMethod();\n```\n");
        assertThat(compile(snippets(doc), Files.createDirectory(dir.resolve("classes"))))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith(doc + ":7: ")
                .contains("nosuchMethod");
    }

    static Path repositoryRoot() {
        return Path.of(System.getProperty("basedir", "."))
                .toAbsolutePath()
                .normalize()
                .getParent();
    }

    /** The java blocks of README.md and every Markdown file under docs/, or of one file. */
    static List<Snippet> snippets(Path rootOrFile) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(rootOrFile)) {
            files.add(rootOrFile);
        } else {
            files.add(rootOrFile.resolve("README.md"));
            try (Stream<Path> docs = Files.walk(rootOrFile.resolve("docs"))) {
                docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
            }
        }
        List<Snippet> snippets = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).strip().equals("```java")) {
                    continue;
                }
                int first = i + 2; // 1-based line of the block's first code line
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                snippets.add(new Snippet(file, first, code.toString()));
            }
        }
        return snippets;
    }

    /** Compiles each snippet in a package of its own; returns one "file:line: message" per error. */
    static List<String> compile(List<Snippet> snippets, Path classes) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            sources.add(Source.of(snippets.get(i), "snippet" + i));
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options =
                    List.of("-classpath", classPath, "-d", classes.toString(), "-proc:none", "-Xlint:none", "-nowarn");
            compiler.getTask(new StringWriter(), files, diagnostics, options, null, sources)
                    .call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR || !(d.getSource() instanceof Source source)) {
                continue;
            }
            long line = source.snippet.firstLine() + d.getLineNumber() - 1 - source.prelude;
            errors.add(source.snippet.file() + ":" + line + ": " + d.getMessage(Locale.ROOT)
                    + "\n    in the block that starts at " + source.snippet.where());
        }
        return errors;
    }

    /** A snippet as a compilation unit: a package, the imports, and the snippet or a method around it. */
    static final class Source extends SimpleJavaFileObject {
        final Snippet snippet;
        final int prelude;
        final String text;

        private Source(Snippet snippet, String pkg, int prelude, String text) {
            super(URI.create("string:///" + pkg.replace('.', '/') + "/Snippet.java"), Kind.SOURCE);
            this.snippet = snippet;
            this.prelude = prelude;
            this.text = text;
        }

        static Source of(Snippet snippet, String pkg) {
            StringBuilder head = new StringBuilder("package " + pkg + ";\n");
            List<String> own = new ArrayList<>();
            List<String> body = new ArrayList<>();
            // The snippet's own imports go first; its other lines keep their line numbers.
            for (String line : snippet.code().split("\n", -1)) {
                if (line.startsWith("import ")) {
                    own.add(line);
                    body.add("");
                } else {
                    body.add(line);
                }
            }
            own.forEach(i -> head.append(i).append('\n'));
            IMPORTS.forEach(i -> head.append(i).append('\n'));
            boolean unit = DECLARES_A_TYPE.matcher(snippet.code()).find();
            if (!unit) {
                head.append("class Snippet {\n  Lab lab;\n  Namespace ns;\n\n  void run() throws Exception {\n");
            }
            int prelude = (int) head.chars().filter(c -> c == '\n').count();
            String text = head + String.join("\n", body) + (unit ? "" : "\n  }\n}\n");
            return new Source(snippet, pkg, prelude, text);
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }

        @Override
        public boolean isNameCompatible(String simpleName, Kind kind) {
            return true; // a snippet's public class may have any name
        }

        @Override
        public String toString() {
            return snippet.where();
        }
    }
}
