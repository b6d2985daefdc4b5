package dev.netnslab.internal.reaper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netnslab.internal.settings.Setting;
import dev.netnslab.testing.Kernel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Crash cleanup, from outside: a child JVM builds a lab and is killed with SIGKILL. Its lab is gone
 * within seconds thanks to the watchdog; with the watchdog off, the next JVM's first lab sweeps it.
 */
@Tag("kernel")
@DisplayName("A JVM killed with SIGKILL leaves no lab behind")
class CrashCleanupTest {

    private final List<Process> children = new ArrayList<>();
    private final List<String> labIds = new ArrayList<>();

    @AfterEach
    void killChildrenAndRemoveTheirLabs() {
        children.forEach(Process::destroyForcibly);
        // Whatever a failed assertion left: remove it by hand, through names the test knows.
        Kernel.namespacesOf(labIds).forEach(Kernel::deleteNamespaces);
        labIds.forEach(id -> Kernel.run("rm", "-f", RecordStore.DEFAULT_DIRECTORY + "/" + id + ".lab"));
    }

    @Test
    @DisplayName("the watchdog removes the lab within seconds of the kill")
    void watchdogRemovesTheLabOfAKilledJvm() throws Exception {
        Child child = startChild(true, true);
        assertThat(Kernel.namespaces()).containsAll(child.namespaces());
        assertThat(Path.of(RecordStore.DEFAULT_DIRECTORY, child.labId + ".lab")).exists();
        List<Long> spawned = processesIn(child);

        long killed = System.nanoTime();
        kill(child);
        Kernel.awaitGone(child.namespaces(), Duration.ofSeconds(5));
        System.out.printf(
                "netns-lab: watchdog removed lab %s %d ms after SIGKILL%n",
                child.labId, Duration.ofNanos(System.nanoTime() - killed).toMillis());
        awaitRecordGone(child.labId);
        assertGone(spawned);
    }

    @Test
    @DisplayName("with the watchdog off, the next JVM's first lab sweeps it, and Reaper.sweep does too")
    void nextRunSweepsTheLabOfAKilledJvmWhenThereIsNoWatchdog() throws Exception {
        Child first = startChild(false, true);
        kill(first);
        Kernel.sleep(500);
        assertThat(Kernel.namespaces())
                .as("nothing may clean up without a watchdog until the next run")
                .containsAll(first.namespaces());

        Child second = startChild(false, true);
        assertThat(Kernel.namespaces())
                .as("the second JVM's first lab sweeps the first JVM's lab")
                .doesNotContainAnyElementsOf(first.namespaces())
                .containsAll(second.namespaces());
        assertThat(Path.of(RecordStore.DEFAULT_DIRECTORY, first.labId + ".lab")).doesNotExist();

        List<Long> spawned = processesIn(second);
        kill(second);
        SweepReport report = Reaper.sweep(Kernel.backend());
        assertThat(report.sweptLabs()).extracting(OwnershipRecord::labId).contains(second.labId);
        assertThat(report.deletedNamespaces()).containsAll(second.namespaces());
        assertThat(Kernel.namespaces()).doesNotContainAnyElementsOf(second.namespaces());
        assertGone(spawned);
    }

    /** The pids inside the child's lab: the process it spawned there. */
    private static List<Long> processesIn(Child child) {
        List<Long> pids = new ArrayList<>();
        for (String ns : child.namespaces()) {
            Kernel.runOk("ip", "netns", "pids", ns).lines().map(Long::parseLong).forEach(pids::add);
        }
        assertThat(pids).as("the child spawned a process in its lab").isNotEmpty();
        return pids;
    }

    private static void assertGone(List<Long> pids) {
        await("the processes the dead JVM had spawned in its lab to end")
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pids).noneMatch(CrashCleanupTest::alive));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Starts {@link CrashingOwnerMain} with the test's class path and waits for the line that names its lab. */
    private Child startChild(boolean watchdog, boolean sweep) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                java,
                "-cp",
                testClassPath(),
                "-D" + Setting.WATCHDOG.key() + "=" + watchdog,
                "-D" + Setting.SWEEP.key() + "=" + sweep,
                CrashingOwnerMain.class.getName());
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.add(process);
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> readLabLine(out)).get(30, TimeUnit.SECONDS);
        assertThat(line)
                .as("the child JVM printed no LAB line; did it fail to start its lab?")
                .startsWith("LAB ");
        String[] words = line.split(" ");
        labIds.add(words[1]);
        return new Child(process, words[1], Arrays.asList(words).subList(2, words.length));
    }

    private static String readLabLine(BufferedReader out) {
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("LAB ")) {
                    return line;
                }
            }
            return "<the child JVM exited>";
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    /** SIGKILL, on the pid this test started and on nothing else. */
    private static void kill(Child child) throws InterruptedException {
        child.process.destroyForcibly();
        assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void awaitRecordGone(String labId) {
        Path record = Path.of(RecordStore.DEFAULT_DIRECTORY, labId + ".lab");
        await("the ownership record " + record + " to be removed")
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(record).doesNotExist());
    }

    /** Surefire may hide the real class path behind a manifest-only jar; it keeps the real one here. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private record Child(Process process, String labId, List<String> namespaces) {}
}
