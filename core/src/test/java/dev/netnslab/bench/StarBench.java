package dev.netnslab.bench;

import dev.netnslab.ExecResult;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.backend.local.LocalBackend;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark, not a test: a star of N hosts on one bridge, built and torn down side by side in one
 * run by netns-lab, by a hand-written {@code ip -batch} script (run by bash, the way a person would
 * write it: one root batch, one batch per namespace, one teardown batch), and, when asked, by
 * Mininet 2.3.0 with a LinuxBridge switch and no controller.
 *
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.netnslab.bench.StarBench -Dexec.args="--n 50,200 --reps 9 --mininet 50"
 * </pre>
 *
 * {@code --compare-parallelism 1,8} adds netns-lab runs with those values of
 * {@code netnslab.build.parallelism} (default 4). Runs as root. It checks that {@code ip netns list} and {@code ip link} are the same afterwards.
 * All three build the same lab: a bridge in one namespace and N namespaces, each with a veth
 * ({@code eth0}, an address in 10.0.0.0/16, up) whose peer is a port of the bridge.
 */
public final class StarBench {

    private static final LocalRunner RUNNER = new LocalRunner();
    private static final Duration LIMIT = Duration.ofMinutes(5);
    /** Held so that the logger, and with it its level, is not garbage-collected (JUL keeps loggers weakly). */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("dev.netnslab.neighbour");
    /** The unique suffixes of every namespace the benchmark created. */
    private static final List<String> OURS = new ArrayList<>();

    private StarBench() {}

    public static void main(String[] args) throws IOException {
        List<Integer> sizes = ints(option(args, "--n").orElse("50,200"));
        int reps = Integer.parseInt(option(args, "--reps").orElse("7"));
        List<Integer> mininet = ints(option(args, "--mininet").orElse(""));

        String linksBefore = state("link");
        String sysctlsBefore = state("sysctl");
        // The star trips the neighbour-table warning (N(N+1) worst-case entries); the check still
        // runs (one cat), it is only kept out of the output.
        QUIET.setLevel(java.util.logging.Level.SEVERE);
        Backend backend = LocalBackend.probe("ip");
        Settings settings = Settings.fromSystem();
        // --compare-parallelism 1,8 also runs netns-lab with those build parallelisms, interleaved.
        List<Integer> extra = ints(option(args, "--compare-parallelism").orElse(""));
        Path dir = Files.createTempDirectory("netnslab-bench");

        System.out.printf(
                Locale.ROOT,
                "star of N hosts on one bridge, up and down, %d repetitions (median, min) in ms; %d cores, load %s%n",
                reps,
                Runtime.getRuntime().availableProcessors(),
                load());
        System.out.printf(
                Locale.ROOT, "%-5s %-14s %10s %10s %10s %10s%n", "N", "tool", "up", "down", "total", "min total");
        for (int n : sizes) {
            List<double[]> batch = new ArrayList<>();
            List<double[]> lab = new ArrayList<>();
            List<double[]> mn = new ArrayList<>();
            Map<Integer, List<double[]>> variants = new java.util.TreeMap<>();
            runBatch(n, dir, 0);
            runLab(n, backend, settings);
            for (int rep = 0; rep < reps; rep++) {
                // Interleave the tools, alternating the order, so that drift and the load of other
                // processes on the machine hit all of them alike.
                if (rep % 2 == 0) {
                    batch.add(runBatch(n, dir, rep + 1));
                    lab.add(runLab(n, backend, settings));
                } else {
                    lab.add(runLab(n, backend, settings));
                    batch.add(runBatch(n, dir, rep + 1));
                }
                if (mininet.contains(n)) {
                    mn.addAll(runMininet(n, 1, dir));
                }
                for (int p : extra) {
                    Settings variant = Settings.from(key ->
                            key.equals(Setting.BUILD_PARALLELISM) ? Optional.of(String.valueOf(p)) : Optional.empty());
                    variants.computeIfAbsent(p, k -> new ArrayList<>()).add(runLab(n, backend, variant));
                }
            }
            double[] b = report(n, "ip -batch", batch);
            double[] l = report(n, "netns-lab", lab);
            System.out.printf(Locale.ROOT, "%-5d netns-lab / ip -batch: %.2fx (total medians)%n", n, l[2] / b[2]);
            for (Map.Entry<Integer, List<double[]>> variant : variants.entrySet()) {
                double[] v = report(n, "netns-lab p" + variant.getKey(), variant.getValue());
                System.out.printf(
                        Locale.ROOT,
                        "%-5d netns-lab p%d / ip -batch: %.2fx (total medians)%n",
                        n,
                        variant.getKey(),
                        v[2] / b[2]);
            }
            if (!mn.isEmpty()) {
                double[] m = report(n, "mininet", mn);
                System.out.printf(
                        Locale.ROOT,
                        "%-5d mininet / netns-lab: netns-lab is %.1fx faster (total medians)%n",
                        n,
                        m[2] / l[2]);
            }
        }
        // Other labs may come and go on a shared machine, so look for ours by their unique suffixes.
        List<String> leftovers = new ArrayList<>(state("netns")
                .lines()
                .filter(line -> OURS.stream().anyMatch(line::contains))
                .toList());
        // Mininet's hosts are shells named mininet:h<i>; net.stop() must have ended them all.
        state("processes").lines().filter(line -> line.contains("mininet:h")).forEach(leftovers::add);
        boolean sysctlsKept = sysctlsBefore.equals(state("sysctl"));
        System.out.println(
                sysctlsKept
                        ? "machine sysctls (gc_thresh*, [rw]mem_max, tcp_[rw]mem, ...) are as before"
                        : "WARNING: machine sysctls changed:\nbefore:\n" + sysctlsBefore + "after:\n"
                                + state("sysctl"));
        boolean clean = linksBefore.equals(state("link")) && leftovers.isEmpty();
        System.out.println("load average at the end: " + load());
        System.out.println(
                clean
                        ? "ip link is as before; no namespace or Mininet host of the benchmark is left"
                        : "WARNING: something was left behind:\n" + state("link") + "\n" + leftovers);
    }

    private static double[] runLab(int n, Backend backend, Settings settings) {
        LabSpec.Builder builder = LabSpec.builder().bridge("host", "br0");
        for (int i = 1; i <= n; i++) {
            builder.container("h" + i, "host:br0", address(i));
        }
        LabSpec spec = builder.build();
        long start = System.nanoTime();
        Lab lab = ApiBridge.start(spec, backend, settings);
        long up = System.nanoTime();
        OURS.add("-" + lab.id());
        lab.close();
        long down = System.nanoTime();
        return new double[] {(up - start) / 1e6, (down - up) / 1e6};
    }

    /** The hand-written version: what a person would type, given docs/kernel-notes.md (peers created in place, one batch per namespace). */
    private static double[] runBatch(int n, Path dir, int rep) throws IOException {
        String id = "nlb" + rep + Long.toString(System.nanoTime() % 100000, 36);
        String host = "bh-" + id;
        OURS.add("-" + id);
        StringBuilder up = new StringBuilder("#!/bin/bash\nset -e\nip -batch - <<'EOF'\nnetns add " + host + "\n");
        StringBuilder down = new StringBuilder("#!/bin/bash\nip -force -batch - <<'EOF'\nnetns del " + host + "\n");
        for (int i = 1; i <= n; i++) {
            up.append("netns add b").append(i).append('-').append(id).append('\n');
            down.append("netns del b").append(i).append('-').append(id).append('\n');
        }
        for (int i = 1; i <= n; i++) {
            up.append("link add eth0 netns b")
                    .append(i)
                    .append('-')
                    .append(id)
                    .append(" type veth peer name veth-h")
                    .append(i)
                    .append(" netns ")
                    .append(host)
                    .append('\n');
        }
        up.append("EOF\nip -n ").append(host).append(" -batch - <<'EOF'\nlink set lo up\nlink add br0 type bridge\n");
        for (int i = 1; i <= n; i++) {
            up.append("link set veth-h")
                    .append(i)
                    .append(" master br0\nlink set veth-h")
                    .append(i)
                    .append(" up\n");
        }
        up.append("link set br0 up\nEOF\n");
        for (int i = 1; i <= n; i++) {
            up.append("ip -n b")
                    .append(i)
                    .append('-')
                    .append(id)
                    .append(" -batch - <<'EOF'\nlink set lo up\naddr add ")
                    .append(address(i))
                    .append(" dev eth0\nlink set eth0 up\nEOF\n");
        }
        down.append("EOF\n");
        Path upScript = Files.writeString(dir.resolve("up-" + n + ".sh"), up);
        Path downScript = Files.writeString(dir.resolve("down-" + n + ".sh"), down);
        long start = System.nanoTime();
        check(RUNNER.run(Command.of(LIMIT, List.of("bash", upScript.toString()))));
        long mid = System.nanoTime();
        check(RUNNER.run(Command.of(LIMIT, List.of("bash", downScript.toString()))));
        long end = System.nanoTime();
        return new double[] {(mid - start) / 1e6, (end - mid) / 1e6};
    }

    private static List<double[]> runMininet(int n, int reps, Path dir) throws IOException {
        Path script = dir.resolve("star_mininet.py");
        try (InputStream in = StarBench.class.getResourceAsStream("/bench/star_mininet.py")) {
            Files.write(script, in.readAllBytes());
        }
        // Debian's Mininet lives in /usr/lib/python3/dist-packages, which only the system python3 sees.
        ExecResult result = check(RUNNER.run(Command.of(
                LIMIT, List.of("/usr/bin/python3", script.toString(), String.valueOf(n), String.valueOf(reps)))));
        List<double[]> times = new ArrayList<>();
        Matcher matcher = Pattern.compile("up_ms=([0-9.]+) down_ms=([0-9.]+)").matcher(result.stdout());
        while (matcher.find()) {
            times.add(new double[] {Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2))});
        }
        return times;
    }

    private static double[] report(int n, String tool, List<double[]> runs) {
        double[] up = runs.stream().mapToDouble(r -> r[0]).sorted().toArray();
        double[] down = runs.stream().mapToDouble(r -> r[1]).sorted().toArray();
        double[] total = runs.stream().mapToDouble(r -> r[0] + r[1]).sorted().toArray();
        double[] medians = {median(up), median(down), median(total)};
        System.out.printf(
                Locale.ROOT,
                "%-5d %-14s %10.1f %10.1f %10.1f %10.1f%n",
                n,
                tool,
                medians[0],
                medians[1],
                medians[2],
                total[0]);
        return medians;
    }

    private static double median(double[] sorted) {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String address(int i) {
        return "10.0." + (i / 250) + "." + (i % 250 + 2) + "/16";
    }

    /** The machine-wide sysctls that Mininet's fixLimits() would raise; the benchmark must leave them alone. */
    private static final List<String> MACHINE_SYSCTLS = List.of(
            "sysctl",
            "net.ipv4.neigh.default.gc_thresh1",
            "net.ipv4.neigh.default.gc_thresh2",
            "net.ipv4.neigh.default.gc_thresh3",
            "net.core.wmem_max",
            "net.core.rmem_max",
            "net.ipv4.tcp_rmem",
            "net.ipv4.tcp_wmem",
            "net.core.netdev_max_backlog",
            "kernel.pty.max");

    private static String state(String what) {
        List<String> argv = switch (what) {
            case "link" -> List.of("ip", "-br", "link");
            case "sysctl" -> MACHINE_SYSCTLS;
            case "processes" -> List.of("ps", "-eo", "pid,args");
            default -> List.of("ip", "netns", "list");
        };
        return RUNNER.run(Command.of(Duration.ofSeconds(10), argv)).stdout();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static ExecResult check(ExecResult result) {
        if (!result.isSuccess()) {
            throw new IllegalStateException("benchmark step failed:\n" + result.describe());
        }
        return result;
    }

    private static Optional<String> option(String[] args, String name) {
        int at = Arrays.asList(args).indexOf(name);
        return at >= 0 && at + 1 < args.length ? Optional.of(args[at + 1]) : Optional.empty();
    }

    private static List<Integer> ints(String csv) {
        return csv.isBlank()
                ? List.of()
                : Arrays.stream(csv.split(","))
                        .map(String::strip)
                        .map(Integer::valueOf)
                        .toList();
    }
}
