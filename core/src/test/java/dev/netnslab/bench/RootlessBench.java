package dev.netnslab.bench;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static dev.netnslab.testing.Samples.pct;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.backend.local.LocalBackend;
import dev.netnslab.internal.backend.rootless.RootlessBackend;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.settings.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The cost of the rootless backend against the local one: the single-namespace lab up and down, a passing ping
 * check and one command, interleaved round by round. As root both run; as an ordinary user only
 * the rootless side does, and the table says so.
 *
 * <pre>
 * ./mvnw -q -pl core test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.netnslab.bench.RootlessBench [-Dexec.args="ROUNDS"]
 * </pre>
 */
public final class RootlessBench {

    private RootlessBench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Settings settings = Settings.from(key -> Optional.empty());
        long t0 = System.nanoTime();
        Backend rootless = RootlessBackend.start(settings);
        long namespaceStart = System.nanoTime() - t0;
        Backend local = null;
        try {
            local = LocalBackend.probe("ip");
        } catch (RuntimeException e) {
            System.out.println("(the local backend does not run here: "
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        LabSpec seed = LabSpec.singleNamespace("netns1", "10.200.1.1", null);
        List<Backend> backends = local == null ? List.of(rootless) : List.of(local, rootless);
        for (int i = 0; i < 5; i++) {
            backends.forEach(b -> Lab.start(seed, b).close());
        }
        List<List<Long>> cycle = new ArrayList<>();
        List<List<Long>> ping = new ArrayList<>();
        List<List<Long>> command = new ArrayList<>();
        for (int b = 0; b < backends.size(); b++) {
            cycle.add(new ArrayList<>());
            ping.add(new ArrayList<>());
            command.add(new ArrayList<>());
        }
        for (int i = 0; i < rounds; i++) {
            for (int b = 0; b < backends.size(); b++) {
                long start = System.nanoTime();
                Lab.start(seed, backends.get(b)).close();
                cycle.get(b).add(System.nanoTime() - start);
            }
        }
        List<Lab> labs = backends.stream().map(b -> Lab.start(seed, b)).toList();
        for (int i = 0; i < rounds; i++) {
            for (int b = 0; b < backends.size(); b++) {
                Lab lab = labs.get(b);
                long start = System.nanoTime();
                assertThat(lab.host()).canPing("10.200.1.1");
                ping.get(b).add(System.nanoTime() - start);
                start = System.nanoTime();
                dev.netnslab.internal.exec.Kernel.of(backends.get(b))
                        .runner()
                        .run(Command.of(Duration.ofSeconds(5), List.of("true")));
                command.get(b).add(System.nanoTime() - start);
            }
        }
        labs.forEach(Lab::close);

        System.out.println("| what | " + (local == null ? "" : "local (root) | ") + "rootless |"
                + (local == null ? "" : " ratio |"));
        System.out.println("|---|" + (local == null ? "---|" : "---|---|---|"));
        row("seed lab up + down (" + rounds + " rounds)", cycle);
        row("passing ping check", ping);
        row("one command (`true`)", command);
        System.out.printf(
                Locale.ROOT,
                "%nrootless: its user namespace started in %.1f ms (once per JVM)%n",
                namespaceStart / 1e6);
        System.out.printf(
                Locale.ROOT,
                "rootless lab up+down p10/p90: %.1f / %.1f ms%n",
                pct(cycle.get(cycle.size() - 1), 10) / 1e6,
                pct(cycle.get(cycle.size() - 1), 90) / 1e6);
    }

    private static void row(String what, List<List<Long>> samples) {
        StringBuilder line = new StringBuilder("| " + what + " | ");
        for (List<Long> s : samples) {
            line.append(String.format(Locale.ROOT, "%.2f ms | ", pct(s, 50) / 1e6));
        }
        if (samples.size() == 2) {
            line.append(
                    String.format(Locale.ROOT, "%.2fx |", (double) pct(samples.get(1), 50) / pct(samples.get(0), 50)));
        }
        System.out.println(line.toString().strip());
    }
}
