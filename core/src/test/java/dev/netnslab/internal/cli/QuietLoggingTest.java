package dev.netnslab.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.exec.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * zt-exec logs through slf4j, and slf4j without a provider warns on first use. A fresh JVM with
 * our class path (slf4j-api, no provider) runs a command through LocalRunner and must print no
 * SLF4J line. The twin shows the warning is real when slf4j's verbosity is not lowered. The command
 * is {@code true}, so the test needs neither root nor a kernel.
 */
@DisplayName("no SLF4J warnings reach the user")
class QuietLoggingTest {

    @Test
    @DisplayName("a fresh JVM running commands prints no SLF4J line")
    void noSlf4jWarning() throws Exception {
        String stderr = runChildJvm();
        assertThat(stderr).doesNotContain("SLF4J");
    }

    @Test
    @DisplayName("twin: with slf4j's own verbosity, the provider warning would appear")
    void warningIsRealWithoutOurSetting() throws Exception {
        assertThat(runChildJvm("-Dslf4j.internal.verbosity=WARN")).contains("SLF4J");
    }

    private static String runChildJvm(String... jvmOptions) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(List.of(jvmOptions));
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), OneCommand.class.getName()));
        Process process = new ProcessBuilder(argv)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(stderr).isZero();
        return stderr;
    }

    /** The child JVM: one command through LocalRunner, the library's only user of zt-exec. */
    static final class OneCommand {
        public static void main(String[] args) {
            ExecResult result = new LocalRunner().run(Command.of(Duration.ofSeconds(10), List.of("true")));
            System.exit(result.isSuccess() ? 0 : 1);
        }
    }
}
