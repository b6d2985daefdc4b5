package dev.netnslab;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.testing.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the library writes is private, what it prints holds no secrets, and the root namespace stays as it was. */
@DisplayName("Security")
class SecurityTest {

    private static final String PRIVATE_KEY =
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-netnslab-test-secret\n-----END OPENSSH PRIVATE KEY-----\n";
    private static final String PASSWORD = "hunter2-netnslab-test-password";

    @Tag("kernel")
    @Test
    @DisplayName("ownership records are 0600 files in 0700 root-only folders, and go with their lab")
    void recordsArePrivate() throws IOException {
        Path record;
        try (Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), Kernel.backend())) {
            record = Path.of("/run/netnslab/labs", lab.id() + ".lab");
            assertThat(mode(Path.of("/run/netnslab"))).isEqualTo("rwx------");
            assertThat(mode(Path.of("/run/netnslab/labs"))).isEqualTo("rwx------");
            assertThat(mode(record)).isEqualTo("rw-------");
            assertThat(Files.getOwner(record).getName()).isEqualTo("root");
            try (Stream<Path> scripts = Files.list(Path.of("/run/netnslab"))) {
                assertThat(scripts.filter(p -> p.getFileName().toString().startsWith("watchdog-")))
                        .allMatch(p -> mode(p).equals("rw-------"));
            }
        }
        assertThat(record).doesNotExist();
    }

    @Test
    @DisplayName("folders that already exist with a looser mode are tightened to 0700")
    void existingFoldersAreTightened(@TempDir Path temp) throws IOException {
        Path parent = Files.createDirectories(temp.resolve("netnslab"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));

        // The folder is the test's own, so this user's commands can tighten it: no root needed.
        dev.netnslab.internal.reaper.RecordStoreAccess.ensureDirectory(
                new LocalRunner(), parent.resolve("labs").toString());

        assertThat(mode(parent)).isEqualTo("rwx------");
        assertThat(mode(parent.resolve("labs"))).isEqualTo("rwx------");
    }

    @Test
    @DisplayName("what a command reads on stdin (a key, a password) appears in no message about it")
    void stdinNeverAppearsInMessages(@TempDir Path temp) {
        LocalRunner runner = new LocalRunner();
        String secret = PRIVATE_KEY + PASSWORD;
        Command failing = Command.of(
                        Duration.ofSeconds(10),
                        List.of(
                                "install",
                                "-m",
                                "0600",
                                "/dev/stdin",
                                temp.resolve("missing/dir/key").toString()))
                .withStdin(secret);
        Command hanging =
                Command.of(Duration.ofMillis(200), List.of("sleep", "5")).withStdin(secret);

        ExecResult failed = runner.run(failing);
        CommandTimeoutException timeout =
                catchThrowableOfType(CommandTimeoutException.class, () -> runner.run(hanging));

        assertThat(failed.isSuccess()).isFalse();
        Stream.of(
                        failing.toString(),
                        failing.render(),
                        failed.toString(),
                        failed.describe(),
                        timeout.getMessage(),
                        hanging.toString())
                .forEach(
                        message -> assertThat(message).doesNotContain("PRIVATE KEY", "netnslab-test-secret", PASSWORD));
    }

    @Tag("kernel")
    @Test
    @DisplayName("a lab, used and torn down, leaves the root namespace's links, addresses and routes as they were")
    void rootNamespaceIsUntouched() {
        Set<String> before = rootNamespace();
        String labId;
        try (Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null), Kernel.backend())) {
            labId = lab.id();
            assertThat(lab.host()).canPing("10.200.1.1");
            assertThat(lab.namespace("netns1")).canPing(lab.host().address());
        }
        Set<String> after = rootNamespace();

        // Other builds and tools may change the root namespace meanwhile; what this lab could have
        // left there names its subnet, its id or a lab's link.
        Pattern ours = Pattern.compile("10\\.200\\.1\\.|" + labId + "|: veth(1|2|-[^:@ ]+)[@:]");
        Set<String> changed = new TreeSet<>(before);
        changed.addAll(after);
        changed.removeIf(line -> before.contains(line) && after.contains(line));
        assertThat(changed)
                .as("root-namespace lines that appeared or went")
                .noneMatch(line -> ours.matcher(line).find());
    }

    /** The root namespace's links, addresses and routes, one line each. */
    private static Set<String> rootNamespace() {
        Set<String> lines = new TreeSet<>();
        Kernel.runOk("ip", "-o", "link", "show").lines().map(l -> "link " + l).forEach(lines::add);
        Kernel.runOk("ip", "-o", "addr", "show").lines().map(l -> "addr " + l).forEach(lines::add);
        Kernel.runOk("ip", "route", "show", "table", "all")
                .lines()
                .map(l -> "route " + l)
                .forEach(lines::add);
        return lines;
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
