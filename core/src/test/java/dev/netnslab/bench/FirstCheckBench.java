package dev.netnslab.bench;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static dev.netnslab.testing.Samples.median;
import static dev.netnslab.testing.Samples.ms;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first check on a fresh lab against the second and a warm one: {@code Lab.start} of the Part 1
 * lab, then {@code assertThat(host).canPing(ip)} three times (first, second, tenth), then close.
 * Prints medians as Markdown; also the median of {@code Lab.start} and of the whole cycle.
 *
 * <pre>
 * java -cp core/target/test-classes:core/target/classes:$(cat cp.txt) dev.netnslab.bench.FirstCheckBench [LABS]
 * </pre>
 * Run as root on the local backend.
 */
public final class FirstCheckBench {

    private static final LabSpec SEED = LabSpec.singleNamespace("netns1", "10.200.1.1", null);

    private FirstCheckBench() {}

    public static void main(String[] args) {
        int labs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        for (int i = 0; i < 5; i++) {
            try (Lab lab = Lab.start(SEED)) {
                assertThat(lab.host()).canPing("10.200.1.1");
            }
        }
        List<Long> start = new ArrayList<>();
        List<Long> first = new ArrayList<>();
        List<Long> second = new ArrayList<>();
        List<Long> tenth = new ArrayList<>();
        List<Long> cycle = new ArrayList<>();
        for (int i = 0; i < labs; i++) {
            long t0 = System.nanoTime();
            Lab lab = Lab.start(SEED);
            long t1 = System.nanoTime();
            assertThat(lab.host()).canPing("10.200.1.1");
            long t2 = System.nanoTime();
            assertThat(lab.host()).canPing("10.200.1.1");
            long t3 = System.nanoTime();
            for (int k = 0; k < 7; k++) {
                assertThat(lab.host()).canPing("10.200.1.1");
            }
            long t4 = System.nanoTime();
            assertThat(lab.host()).canPing("10.200.1.1");
            long t5 = System.nanoTime();
            lab.close();
            long t6 = System.nanoTime();
            start.add(t1 - t0);
            first.add(t2 - t1);
            second.add(t3 - t2);
            tenth.add(t5 - t4);
            cycle.add((t1 - t0) + (t6 - t5));
        }
        System.out.printf(
                Locale.ROOT,
                "| labs | load | Lab.start | start + close | first canPing | second | tenth |%n|---|---|---|---|---|---|---|%n"
                        + "| %d | %s | %.2f ms | %.2f ms | %.3f ms | %.3f ms | %.3f ms |%n",
                labs,
                load(),
                ms(median(start)),
                ms(median(cycle)),
                ms(median(first)),
                ms(median(second)),
                ms(median(tenth)));
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
