package dev.netnslab.bench;

import static dev.netnslab.testing.Samples.median;
import static dev.netnslab.testing.Samples.ms;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.junit.NetnsLab;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The Part 1 lab up and down through {@code @NetnsLab} on a test method, as a user's suite runs it,
 * side by side with the seed's {@code scenario1.sh} plus its teardown, interleaved round by round.
 * A round runs {@link Subject} through the JUnit Platform launcher; its time is the test's own span,
 * from the launcher's "started" to its "finished" event: the extension's work before the test (the
 * lab's start, ready included), the test body and the extension's work after it (the lab's close).
 * Discovery is not counted. The same lab by {@code Lab.start} and {@code close} alone runs in each
 * round too, so the extension's own share shows. Prints medians as Markdown.
 *
 * <pre>
 * ./mvnw -q -pl core,junit-extension -am test-compile
 * ./mvnw -q -pl junit-extension dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
 * java -cp junit-extension/target/test-classes:junit-extension/target/classes:$(cat cp.txt) dev.netnslab.bench.JUnitLabBench [ROUNDS]
 * </pre>
 *
 * Run as root on the local backend. The script is core's {@code bench/scenario1.sh}; it runs inside a
 * throwaway namespace that plays the VM, as in {@code LabBench}.
 */
public final class JUnitLabBench {

    private static final LabSpec SEED = LabSpec.singleNamespace("netns1", "10.200.1.1", null);

    private JUnitLabBench() {}

    /** The test a user writes for Part 1: a lab of its own on the method, injected. */
    public static final class Subject {
        @Test
        @NetnsLab(ns = "netns1", ip = "10.200.1.1")
        void labIsThere(Lab lab) {
            if (lab.isClosed()) {
                throw new AssertionError("the injected lab is closed");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Path dir = Files.createTempDirectory("netnslab-bench");
        Path script = dir.resolve("scenario1.sh");
        try (InputStream in = JUnitLabBench.class.getResourceAsStream("/bench/scenario1.sh")) {
            if (in == null) {
                throw new IllegalStateException("bench/scenario1.sh is missing: put core's test-jar on the class path");
            }
            Files.copy(in, script);
        }
        Launcher launcher = LauncherFactory.create();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Subject.class))
                .build();
        for (int i = 0; i < 5; i++) {
            junitRound(launcher, request);
            seedScript(dir, script, "w" + i);
        }
        List<Long> junit = new ArrayList<>();
        List<Long> direct = new ArrayList<>();
        List<Long> bash = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            junit.add(junitRound(launcher, request));
            long t0 = System.nanoTime();
            Lab.start(SEED).close();
            direct.add(System.nanoTime() - t0);
            bash.add(seedScript(dir, script, "r" + i));
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        double load =
                Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        double a = ms(median(junit));
        double b = ms(median(bash));
        System.out.println("| rounds | load | `@NetnsLab` on a method, up + down | `Lab.start` + `close` alone"
                + " | `scenario1.sh` + teardown | ratio |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf(
                Locale.ROOT,
                "| %d | %.2f | %.2f ms | %.2f ms | %.2f ms | %.1fx faster |%n",
                rounds,
                load,
                a,
                ms(median(direct)),
                b,
                b / a);
    }

    /** One launcher run of {@link Subject}; returns the test's span, failing when the test did not pass. */
    private static long junitRound(Launcher launcher, LauncherDiscoveryRequest request) {
        Map<String, Long> started = new ConcurrentHashMap<>();
        List<Long> spans = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier test) {
                if (test.isTest()) {
                    started.put(test.getUniqueId(), System.nanoTime());
                }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    problems.add(test.getDisplayName() + ": " + result);
                }
                if (test.isTest()) {
                    spans.add(System.nanoTime() - started.get(test.getUniqueId()));
                }
            }
        });
        if (!problems.isEmpty() || spans.size() != 1) {
            throw new IllegalStateException("the lab test did not pass: " + problems);
        }
        return spans.get(0);
    }

    /** One round of the bash baseline: a "VM" namespace, scenario1.sh inside it, then the teardown. */
    private static long seedScript(Path dir, Path script, String suffix) throws IOException, InterruptedException {
        String vm = "benchvm-" + suffix;
        String con = "netns1-bench" + suffix;
        Files.writeString(dir.resolve("env.sh"), "CON=\"" + con + "\"\nIP=\"10.200.1.1\"\n");
        long t0 = System.nanoTime();
        run(dir, "ip", "netns", "add", vm);
        run(dir, "ip", "netns", "exec", vm, "bash", script.toString());
        run(dir, "ip", "netns", "del", con);
        run(dir, "ip", "netns", "del", vm);
        return System.nanoTime() - t0;
    }

    private static void run(Path dir, String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.txt").toFile())
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    String.join(" ", argv) + " failed: " + Files.readString(dir.resolve("output.txt")));
        }
    }
}
