package dev.netnslab.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ShellQuote: argv -> text a POSIX shell parses back to the same argv")
public class ShellQuoteTest {

    public static final List<String> HOSTILE = List.of(
            "",
            " ",
            "plain",
            "two words",
            "'",
            "''",
            "it's",
            "\"",
            "\\",
            "\\'",
            "a\\nb",
            "$(touch /tmp/netnslab-pwned)",
            "`touch /tmp/netnslab-pwned`",
            "$HOME",
            "${HOME}",
            "$",
            "line1\nline2",
            "\n",
            "\t",
            "\r\n",
            "a;b",
            "a && b",
            "a | b",
            "a > /tmp/x",
            "<",
            "*",
            "?",
            "[a-z]",
            "~",
            "~root",
            "#comment",
            "{a,b}",
            "!",
            "-n",
            "-e",
            "--",
            "-",
            "A=b",
            "é ü 中文 🙂",
            "%s",
            "%",
            "\u0001\u001f\u007f",
            "'\"'\"'",
            "$'\\x41'");

    @Test
    void plainWordsStayReadable() {
        assertThat(ShellQuote.join(List.of("ip", "-n", "ns1-nlab12", "addr", "add", "10.0.0.1/24", "dev", "veth2")))
                .isEqualTo("ip -n ns1-nlab12 addr add 10.0.0.1/24 dev veth2");
    }

    @Test
    void specialCharactersAreSingleQuoted() {
        assertThat(ShellQuote.quote("")).isEqualTo("''");
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuote.quote("$(id)")).isEqualTo("'$(id)'");
        assertThat(ShellQuote.quote("A=b")).isEqualTo("'A=b'");
    }

    @Test
    void refusesNulBytes() {
        assertThatThrownBy(() -> ShellQuote.quote("a\0b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/bin/sh", "/bin/bash", "/bin/dash"})
    @DisplayName("every hostile argument survives a real shell unchanged")
    void roundTripsThroughARealShell(String shell) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of(shell)), shell + " is not installed");
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(HOSTILE);
        // printf is given the quoted words; it prints each argument followed by NUL, so the
        // output splits back into exactly what the shell parsed.
        List<String> parsed = runShell(shell, ShellQuote.join(argv));
        assertThat(parsed).containsExactlyElementsOf(HOSTILE);
        assertThat(Path.of("/tmp/netnslab-pwned")).doesNotExist();
    }

    @Test
    @DisplayName("an argument that is also the program name runs that program, not a shell word")
    void firstWordIsNeverAnAssignmentOrKeyword() throws Exception {
        assertThat(runShell(
                        "/bin/sh",
                        ShellQuote.join(List.of("printf", "%s\\0", "x")) + "; " + ShellQuote.join(List.of("A=b"))
                                + " 2>/dev/null; printf '%s\\0' \"${A:-unset}\""))
                .containsExactly("x", "unset");
    }

    private static List<String> runShell(String shell, String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(shell, "-c", script)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>(List.of(text.split("\0", -1)));
        parts.remove(parts.size() - 1);
        return parts;
    }
}
