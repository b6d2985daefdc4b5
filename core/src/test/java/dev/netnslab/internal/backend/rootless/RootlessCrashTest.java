package dev.netnslab.internal.backend.rootless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netnslab.testing.Kernel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Crash cleanup on the rootless backend, from outside: a JVM with a rootless lab is killed with
 * SIGKILL, and within seconds nothing of it is left: not its user namespace's first process, not
 * any process it had below it, and no process in the lab's network namespaces or its user namespace.
 */
@Tag("kernel")
@DisplayName("A JVM with a rootless lab, killed with SIGKILL, leaves nothing behind")
class RootlessCrashTest {

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    @DisplayName("its user namespace ends, and with it every process and namespace of the lab")
    void nothingOutlivesAKilledJvm() throws Exception {
        Process child = startChild();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String lab = CompletableFuture.supplyAsync(() -> line(out, "LAB ")).get(60, TimeUnit.SECONDS);
        assertThat(lab)
                .as("the child JVM printed no LAB line; did its rootless lab fail?")
                .startsWith("LAB ");
        String pids = CompletableFuture.supplyAsync(() -> line(out, "PIDS ")).get(10, TimeUnit.SECONDS);
        String[] words = lab.split(" ");
        String labId = words[1];
        long init = Long.parseLong(words[2]);
        Set<String> namespaceIds = Set.copyOf(Arrays.asList(words).subList(3, words.length));
        List<Long> below =
                Arrays.stream(pids.split(" ")).skip(1).map(Long::parseLong).toList();

        assertThat(alive(init))
                .as("the user namespace's first process runs while the JVM does")
                .isTrue();
        assertThat(below).contains(init);
        assertThat(processesIn(namespaceIds))
                .as("the spawned sleep and the namespace's processes are visible from here")
                .isNotEmpty();
        assertThat(Kernel.namespacesOf(List.of(labId)))
                .as("the lab's names never reach the machine's ip netns list")
                .isEmpty();

        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long killed = System.nanoTime();
        await("the killed JVM's user namespace to end")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> {
                    assertThat(below)
                            .as("processes the killed JVM had below it")
                            .noneMatch(RootlessCrashTest::alive);
                    assertThat(processesIn(namespaceIds))
                            .as("processes in the lab's network namespaces or its user namespace")
                            .isEmpty();
                });
        System.out.printf(
                "netns-lab: the killed JVM's user namespace (pid %d) was gone %d ms after SIGKILL%n",
                init, Duration.ofNanos(System.nanoTime() - killed).toMillis());
    }

    /**
     * The pids of running processes whose network or user namespace is one of {@code ids} (e.g.
     * {@code net:[4026532]}). A zombie still shows its user namespace until it is reaped, but runs nothing.
     */
    private static List<Long> processesIn(Set<String> ids) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().matches("[0-9]+"))
                    .filter(p -> Stream.of("net", "user")
                            .anyMatch(kind -> ids.contains(link(p.resolve("ns").resolve(kind)))))
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .filter(RootlessCrashTest::alive)
                    .collect(Collectors.toList());
        }
    }

    private static String link(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException | RuntimeException e) {
            // gone meanwhile, or another user's process
            return "";
        }
    }

    /**
     * Whether {@code pid} runs. A zombie does not: the killed JVM's children wait as zombies until the
     * machine's init reaps them, which can take a while, but they hold nothing any more.
     */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Process startChild() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String surefire = System.getProperty("surefire.test.class.path");
        String classPath = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        Process process = new ProcessBuilder(
                        java, "-cp", classPath, "-Dnetnslab.backend=rootless", RootlessOwnerMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.add(process);
        return process;
    }

    private static String line(BufferedReader out, String prefix) {
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            return "<the child JVM exited>";
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }
}
