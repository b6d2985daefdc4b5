package dev.netnslab.bench;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static dev.netnslab.testing.Samples.ms;
import static dev.netnslab.testing.Samples.pct;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.backend.local.LocalBackend;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.exec.Command;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Side-by-side benchmark of netns-lab against the same lab built by hand in bash
 * ({@code bench/scenario1.sh} in the test resources), in one run, interleaved so that
 * machine noise hits both sides alike. Prints medians and ratios as Markdown.
 *
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl core exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.netnslab.bench.LabBench [-Dexec.args="ROUNDS"]
 * </pre>
 *
 * <ol>
 *   <li>Lab up and down: {@code Lab.start(seed) + close()} against {@code scenario1.sh}
 *       plus its teardown ({@code ip netns del}). The script runs inside a throwaway namespace that
 *       plays the VM, as netns-lab's own host sandbox does, so neither side touches the machine's
 *       routing and both create and delete two namespaces.</li>
 *   <li>A passing ping check: {@code assertThat(host).canPing(ip)} against a plain {@code ping -c 3}.</li>
 * </ol>
 */
public final class LabBench {

    private LabBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Backend backend = LocalBackend.probe("ip");
        LocalRunner runner = new LocalRunner();
        Path dir = Files.createTempDirectory("netnslab-bench");
        Path script = dir.resolve("scenario1.sh");
        try (InputStream in = LabBench.class.getResourceAsStream("/bench/scenario1.sh")) {
            Files.copy(in, script);
        }
        LabSpec seed = LabSpec.singleNamespace("netns1", "10.200.1.1", null);

        // warm up both paths (JIT, page cache, ip binary)
        for (int i = 0; i < 5; i++) {
            Lab.start(seed, backend).close();
            seedScript(runner, dir, script, "w" + i);
        }

        List<Long> lab = new ArrayList<>();
        List<Long> bash = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            Lab.start(seed, backend).close();
            lab.add(System.nanoTime() - t0);
            bash.add(seedScript(runner, dir, script, "r" + i));
        }

        List<Long> canPing = new ArrayList<>();
        List<Long> ping3 = new ArrayList<>();
        try (Lab l = Lab.start(seed, backend)) {
            for (int i = 0; i < 5; i++) {
                assertThat(l.host()).canPing("10.200.1.1");
            }
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                assertThat(l.host()).canPing("10.200.1.1");
                canPing.add(System.nanoTime() - t0);
            }
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                if (!l.host().exec("ping", "-c", "3", "10.200.1.1").isSuccess()) {
                    throw new IllegalStateException("ping -c 3 failed");
                }
                ping3.add(System.nanoTime() - t0);
            }
        }
        deleteTree(dir);

        System.out.println("| what | netns-lab (median) | seed bash (median) | ratio |");
        System.out.println("|---|---|---|---|");
        row("lab up + down (" + rounds + " rounds)", lab, bash);
        row("passing ping check (" + rounds + " vs 5 runs)", canPing, ping3);
        System.out.printf(
                Locale.ROOT,
                "%nnetns-lab lab up+down p10/p90: %.1f / %.1f ms; bash p10/p90: %.1f / %.1f ms%n",
                ms(pct(lab, 10)),
                ms(pct(lab, 90)),
                ms(pct(bash, 10)),
                ms(pct(bash, 90)));
    }

    /** One round of the bash baseline: a "VM" namespace, scenario1.sh inside it, then the teardown. */
    private static long seedScript(LocalRunner runner, Path dir, Path script, String suffix) throws IOException {
        String vm = "benchvm-" + suffix;
        String con = "netns1-bench" + suffix;
        Files.writeString(dir.resolve("env.sh"), "CON=\"" + con + "\"\nIP=\"10.200.1.1\"\n");
        Duration timeout = Duration.ofSeconds(30);
        long t0 = System.nanoTime();
        check(runner.run(Command.of(timeout, List.of("ip", "netns", "add", vm))));
        check(runner.run(Command.of(timeout, List.of("ip", "netns", "exec", vm, "bash", script.toString()))));
        check(runner.run(Command.of(timeout, List.of("ip", "netns", "del", con))));
        check(runner.run(Command.of(timeout, List.of("ip", "netns", "del", vm))));
        return System.nanoTime() - t0;
    }

    private static void check(dev.netnslab.ExecResult result) {
        if (!result.isSuccess()) {
            throw new IllegalStateException(result.describe());
        }
    }

    private static void row(String what, List<Long> ours, List<Long> theirs) {
        double a = ms(pct(ours, 50));
        double b = ms(pct(theirs, 50));
        System.out.printf(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %.1fx faster |%n", what, a, b, b / a);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
