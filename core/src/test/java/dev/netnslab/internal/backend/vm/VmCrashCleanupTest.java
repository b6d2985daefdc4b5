package dev.netnslab.internal.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.reaper.Owner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that owns VMs is killed with SIGKILL: the watchdog it started stops the qemu of its VM and
 * removes the VM's folder, and leaves its kept VM running. The qemu are stand-ins ({@link VmOwnerMain}),
 * so this needs neither qemu nor an image; the real VM's run is the {@code vm} Maven profile.
 */
@DisplayName("A JVM killed with SIGKILL leaves no VM behind, except the one it keeps")
class VmCrashCleanupTest {

    @TempDir
    Path home;

    private Process child;
    private final List<Owner> standIns = new ArrayList<>();

    @AfterEach
    void stopWhatTheTestStarted() {
        if (child != null) {
            child.destroyForcibly();
        }
        standIns.forEach(QemuFolders::stop);
    }

    @Test
    @DisplayName("the watchdog stops the VM's qemu and removes its folder within seconds; the kept VM stays")
    void watchdogStopsTheVmOfAKilledJvm() throws Exception {
        String[] line = startChild().split(" ");
        Path runDir = Path.of(line[1]);
        Owner runQemu = Owner.running(Long.parseLong(line[2])).orElseThrow();
        Path keptDir = Path.of(line[3]);
        Owner keptQemu = Owner.running(Long.parseLong(line[4])).orElseThrow();
        standIns.addAll(List.of(runQemu, keptQemu));
        assertThat(runDir.resolve(VmRecord.FILE)).exists();
        assertThat(runQemu.isAlive()).isTrue();

        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Deadline deadline = Deadline.in(Duration.ofSeconds(15));
        while ((runQemu.isAlive() || Files.exists(runDir)) && !deadline.isPast()) {
            deadline.sleep(Duration.ofMillis(20), "for the watchdog to stop the killed JVM's VM");
        }

        assertThat(runQemu.isAlive())
                .as("the killed JVM's qemu (pid %d) 15 s after SIGKILL", runQemu.pid())
                .isFalse();
        assertThat(runDir).doesNotExist();
        assertThat(keptQemu.isAlive()).as("the kept VM's qemu").isTrue();
        assertThat(keptDir.resolve(VmRecord.FILE)).exists();
        assertThat(QemuFolders.recorded(keptDir, List.of("image=stand-in")))
                .as("a later run finds the kept VM")
                .hasValueSatisfying(vm -> assertThat(vm.process()).isEqualTo(keptQemu));
    }

    /** Starts {@link VmOwnerMain} with the test's class path and returns the line that names its VMs. */
    private String startChild() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-cp", testClassPath(), VmOwnerMain.class.getName(), home.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(30, TimeUnit.SECONDS);
        assertThat(line)
                .as("the child JVM printed no VMS line; did it fail to start its VMs?")
                .startsWith("VMS ");
        return line;
    }

    private static String readLine(BufferedReader out) {
        try {
            return Optional.ofNullable(out.readLine()).orElse("<the child JVM exited>");
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    /** Surefire may hide the real class path behind a manifest-only jar; it keeps the real one here. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
