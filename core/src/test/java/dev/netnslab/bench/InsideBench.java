package dev.netnslab.bench;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static dev.netnslab.testing.Samples.ms;
import static dev.netnslab.testing.Samples.pct;

import dev.netnslab.ExecResult;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Link;
import dev.netnslab.Namespace;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.backend.local.LocalBackend;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.settings.Settings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Java inside the lab and in-process checks, side by side in one run, as Markdown:
 *
 * <ol>
 *   <li>a passing {@code canPing} in the JVM, against the same check as a {@code ping} process
 *       ({@code netnslab.checks=process}, the previous path) and against a plain {@code ping -c 3};</li>
 *   <li>entering a namespace with {@code call} on a warm lab: the round trip of an empty task;</li>
 *   <li>the Part 1 lab up and down against the same lab built by hand with the bash script
 *       {@code bench/scenario1.sh} (in the test resources) plus teardown, interleaved;</li>
 *   <li>{@code lab.link(...).down()} then {@code up()}.</li>
 * </ol>
 *
 * <pre>
 * ./mvnw -q -o -pl core test-compile
 * java -cp core/target/test-classes:core/target/classes:$(cat cp.txt) dev.netnslab.bench.InsideBench [ROUNDS]
 * </pre>
 * (cp.txt from {@code ./mvnw -q -o -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt}).
 * Run as root on the local backend.
 */
public final class InsideBench {

    private static final LabSpec SEED = LabSpec.singleNamespace("netns1", "10.200.1.1", null);

    private InsideBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Backend backend = LocalBackend.probe("ip");
        Settings quiet = settings(Map.of("netnslab.watchdog", "false"));
        Settings processChecks = settings(Map.of("netnslab.watchdog", "false", "netnslab.checks", "process"));
        LocalRunner runner = new LocalRunner();
        Path dir = Files.createTempDirectory("netnslab-bench");
        Path script = dir.resolve("scenario1.sh");
        try (InputStream in = InsideBench.class.getResourceAsStream("/bench/scenario1.sh")) {
            Files.copy(in, script);
        }

        List<Long> inProcess = new ArrayList<>();
        List<Long> processPath = new ArrayList<>();
        List<Long> ping3 = new ArrayList<>();
        List<Long> call = new ArrayList<>();
        List<Long> flap = new ArrayList<>();
        try (Lab lab = ApiBridge.start(SEED, backend, quiet);
                Lab old = ApiBridge.start(SEED, backend, processChecks)) {
            Namespace host = lab.host();
            for (int i = 0; i < 200; i++) {
                assertThat(host).canPing("10.200.1.1");
                assertThat(old.host()).canPing("10.200.1.1");
            }
            for (int i = 0; i < Math.max(rounds * 25, 1000); i++) {
                long t0 = System.nanoTime();
                assertThat(host).canPing("10.200.1.1");
                inProcess.add(System.nanoTime() - t0);
                if (i % 25 == 0) {
                    t0 = System.nanoTime();
                    assertThat(old.host()).canPing("10.200.1.1");
                    processPath.add(System.nanoTime() - t0);
                }
            }
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                check(host.exec("ping", "-c", "3", "10.200.1.1"));
                ping3.add(System.nanoTime() - t0);
            }
            Namespace ns = lab.namespace("netns1");
            for (int i = 0; i < 20_000; i++) {
                ns.call(() -> null);
            }
            for (int i = 0; i < 100_000; i++) {
                long t0 = System.nanoTime();
                ns.call(() -> null);
                call.add(System.nanoTime() - t0);
            }
            Link link = lab.link("netns1", "veth2");
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                link.down();
                link.up();
                flap.add(System.nanoTime() - t0);
            }
        }

        for (int i = 0; i < 5; i++) {
            ApiBridge.start(SEED, backend, quiet).close();
            seedScript(runner, dir, script, "w" + i);
        }
        List<Long> cycle = new ArrayList<>();
        List<Long> bash = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            ApiBridge.start(SEED, backend, quiet).close();
            cycle.add(System.nanoTime() - t0);
            bash.add(seedScript(runner, dir, script, "r" + i));
        }
        List<Long> spawn = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long t0 = System.nanoTime();
            new ProcessBuilder("/bin/true").start().waitFor();
            spawn.add(System.nanoTime() - t0);
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        }

        System.out.printf(
                Locale.ROOT,
                "launch mechanism: %s; /bin/true from this JVM: %.2f ms (median of 50)%n%n",
                System.getProperty("jdk.lang.Process.launchMechanism", "default"),
                ms(pct(spawn, 50)));
        System.out.println("| what | netns-lab (median) | baseline (median) | ratio |");
        System.out.println("|---|---|---|---|");
        row("passing canPing in the JVM vs `ping -c 3` (" + inProcess.size() + " vs 5 runs)", inProcess, ping3);
        row(
                "passing canPing in the JVM vs the `ping` process path (" + inProcess.size() + " vs "
                        + processPath.size() + ")",
                inProcess,
                processPath);
        System.out.printf(
                Locale.ROOT,
                "| entering a namespace: `call(() -> null)` on a warm lab (%d calls) | %.1f µs | | |%n",
                call.size(),
                pct(call, 50) / 1000.0);
        row("Part 1 lab up + down vs `scenario1.sh` + teardown (" + rounds + " rounds)", cycle, bash);
        System.out.printf(
                Locale.ROOT, "| `link.down()` + `link.up()` (%d rounds) | %.2f ms | | |%n", rounds, ms(pct(flap, 50)));
        System.out.printf(
                Locale.ROOT,
                "%ncanPing in the JVM p10/p90: %.3f / %.3f ms; process path p10/p90: %.2f / %.2f ms;"
                        + " call p10/p90: %.1f / %.1f µs; lab up+down p10/p90: %.1f / %.1f ms; bash p10/p90: %.1f / %.1f ms%n",
                ms(pct(inProcess, 10)),
                ms(pct(inProcess, 90)),
                ms(pct(processPath, 10)),
                ms(pct(processPath, 90)),
                pct(call, 10) / 1000.0,
                pct(call, 90) / 1000.0,
                ms(pct(cycle, 10)),
                ms(pct(cycle, 90)),
                ms(pct(bash, 10)),
                ms(pct(bash, 90)));
    }

    private static Settings settings(Map<String, String> values) {
        return Settings.of(key -> Optional.ofNullable(values.get(key)), Map.of());
    }

    /** One round of the bash baseline: a "VM" namespace, scenario1.sh inside it, then the teardown. */
    private static long seedScript(LocalRunner runner, Path dir, Path script, String suffix) throws Exception {
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

    private static void check(ExecResult result) {
        if (!result.isSuccess()) {
            throw new IllegalStateException(result.describe());
        }
    }

    private static void row(String what, List<Long> ours, List<Long> theirs) {
        double a = ms(pct(ours, 50));
        double b = ms(pct(theirs, 50));
        String ratio = String.format(Locale.ROOT, b / a < 100 ? "%.1fx" : "%.0fx", b / a);
        System.out.printf(Locale.ROOT, "| %s | %.3f ms | %.2f ms | %s faster |%n", what, a, b, ratio);
    }
}
