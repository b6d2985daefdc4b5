package dev.netnslab.bench;

import dev.netnslab.ExecResult;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.engine.LabEngine;
import dev.netnslab.testing.Kernel;
import dev.netnslab.testing.SecondMachine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark, not a test: a star of N hosts on one bridge, built and torn down on one kernel, and
 * the same star split over two kernels (the bridge and the first half of the hosts here, the other
 * half on a second machine reached over SSH, each of its links a VXLAN tunnel), interleaved round by
 * round. It also reports a ping across, and what each kernel holds.
 *
 * <pre>
 * ./mvnw -q -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.netnslab.bench.SplitStarBench -Dexec.args="--n 200 --reps 5"
 * </pre>
 *
 * The second machine is the tests' fixture: a namespace on this machine with its own address and
 * sshd, so both "kernels" share this machine's two cores. Runs as root; checks that none of its
 * namespaces is left.
 */
public final class SplitStarBench {

    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("dev.netnslab.neighbour");

    private SplitStarBench() {}

    public static void main(String[] args) {
        int n = Integer.parseInt(option(args, "--n", "200"));
        int reps = Integer.parseInt(option(args, "--reps", "5"));
        QUIET.setLevel(java.util.logging.Level.SEVERE);
        List<String> ids = new ArrayList<>();
        try (SecondMachine machine = SecondMachine.start();
                Backend remote = Backend.open(machine.uri())) {
            System.out.printf(
                    Locale.ROOT,
                    "star of %d hosts, up and down, %d rounds (median, min) in ms; %d cores, load %s%n",
                    n,
                    reps,
                    Runtime.getRuntime().availableProcessors(),
                    load());
            List<double[]> one = new ArrayList<>();
            List<double[]> two = new ArrayList<>();
            // One warm-up round each, not counted.
            for (int rep = -1; rep < reps; rep++) {
                double[] a = run(spec(n, false), remote, ids, rep == 0);
                double[] b = run(spec(n, true), remote, ids, rep == 0);
                if (rep >= 0) {
                    one.add(a);
                    two.add(b);
                }
            }
            print("one kernel", one);
            print("two kernels", two);
            System.out.printf(
                    Locale.ROOT, "two kernels / one kernel: %.2fx (total medians)%n", median(two, 2) / median(one, 2));
            System.out.println("load average at the end: " + load());
        }
        if (!Kernel.namespacesOf(ids).isEmpty()) {
            throw new IllegalStateException("namespaces left: " + Kernel.namespacesOf(ids));
        }
    }

    /** The bridge in host; hosts h1..hN on it; with {@code split}, the second half on the kernel called remote. */
    static LabSpec spec(int n, boolean split) {
        LabSpec.Builder builder = LabSpec.builder().bridge("host", "br0");
        List<String> far = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            builder.container("h" + i, "host:br0", "10.0." + (i / 250) + "." + (i % 250 + 1) + "/16");
            if (i > n / 2) {
                far.add("h" + i);
            }
        }
        if (split) {
            builder.on("remote", far.toArray(String[]::new));
        }
        return builder.build();
    }

    private static double[] run(LabSpec spec, Backend remote, List<String> ids, boolean describe) {
        long start = System.nanoTime();
        Lab lab = Lab.start(spec, Map.of("remote", remote));
        long built = System.nanoTime();
        for (LabEngine part : ApiBridge.parts(lab).parts().values()) {
            ids.add(part.id());
        }
        String last = "h" + spec.namespaceNames().size();
        ExecResult ping = lab.namespace("h1")
                .exec("ping", "-c", "1", "-W", "2", lab.namespace(last).address());
        if (!ping.isSuccess()) {
            lab.close();
            throw new IllegalStateException("h1 does not reach " + last + ": " + ping);
        }
        if (describe) {
            ApiBridge.parts(lab)
                    .parts()
                    .forEach((kernel, part) -> System.out.printf(
                            Locale.ROOT,
                            "  %s kernel '%s' (%s): %d namespaces%n",
                            spec.kernels().size() > 1 ? "split," : "single,",
                            kernel,
                            part.kernel().describe(),
                            part.namespaces().size()));
            System.out.println("  ping h1 -> " + last + ": "
                    + ping.stdout()
                            .lines()
                            .filter(l -> l.contains("time="))
                            .findFirst()
                            .orElse(""));
        }
        long pinged = System.nanoTime();
        lab.close();
        long closed = System.nanoTime();
        return new double[] {(built - start) / 1e6, (closed - pinged) / 1e6, (built - start + closed - pinged) / 1e6};
    }

    private static void print(String what, List<double[]> rounds) {
        System.out.printf(
                Locale.ROOT,
                "%-12s up %8.1f  down %8.1f  total %8.1f  (min total %8.1f)%n",
                what,
                median(rounds, 0),
                median(rounds, 1),
                median(rounds, 2),
                rounds.stream().mapToDouble(r -> r[2]).min().orElse(0));
    }

    private static double median(List<double[]> rounds, int column) {
        double[] values = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values.length % 2 == 1
                ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static String option(String[] args, String name, String fallback) {
        int at = Arrays.asList(args).indexOf(name);
        return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
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
