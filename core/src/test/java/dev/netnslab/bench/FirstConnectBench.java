package dev.netnslab.bench;

import static dev.netnslab.testing.Samples.ms;
import static dev.netnslab.testing.Samples.pct;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first packet of user code on a fresh lab: how often a client that connects once, right after
 * {@code Lab.start}, with a short budget, fails. Each round starts a fresh lab (a bridge in the host
 * side and two containers on it), binds a {@link ServerSocket} in one container (through
 * {@code Namespace.call}), then makes one {@code Socket.connect} with a 300 ms budget from the
 * other, and closes the lab. No retry, no check before: exactly what a test's own client does.
 *
 * <p>With {@code --busy N}, N busy-loop processes ({@code sh -c 'while :; do :; done'}) load the
 * cores while the labs run; they are stopped by their own handles at the end.
 *
 * <pre>
 * ./mvnw -q -o -pl core test-compile
 * ./mvnw -q -o -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
 * java -cp core/target/test-classes:core/target/classes:$(cat cp.txt) dev.netnslab.bench.FirstConnectBench \
 *     --labs 40 --busy 0,2 --budget 300
 * </pre>
 * Run as root on the local backend. Prints one Markdown row per load.
 */
public final class FirstConnectBench {

    private static final LabSpec SPEC = LabSpec.builder()
            .bridge("host", "br0")
            .container("srv", "host:br0", "10.0.0.1/24")
            .container("cli", "host:br0", "10.0.0.2/24")
            .build();

    private static final int PORT = 8080;

    private FirstConnectBench() {}

    public static void main(String[] args) throws Exception {
        int labs = 40;
        int budget = 300;
        List<Integer> loads = List.of(0, 2);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--labs" -> labs = Integer.parseInt(args[i + 1]);
                case "--budget" -> budget = Integer.parseInt(args[i + 1]);
                case "--busy" ->
                    loads = java.util.Arrays.stream(args[i + 1].split(","))
                            .map(Integer::parseInt)
                            .toList();
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i] + "; use --labs N, --budget MS, --busy N[,N...]");
            }
        }
        // Warm up: JIT, the ip binary, the JNA library; not counted.
        for (int i = 0; i < 3; i++) {
            round(2_500);
        }
        System.out.println("| load | busy loops | labs | failed first connects | median connect | p90 connect"
                + " | median start | whole run |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int busy : loads) {
            List<Process> loops = new ArrayList<>();
            for (int i = 0; i < busy; i++) {
                loops.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            try {
                Thread.sleep(busy == 0 ? 0 : 1_000);
                List<Long> connects = new ArrayList<>();
                List<Long> starts = new ArrayList<>();
                List<String> failures = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int i = 0; i < labs; i++) {
                    Result result = round(budget);
                    starts.add(result.startNanos());
                    connects.add(result.connectNanos());
                    if (result.failure() != null) {
                        failures.add(result.failure());
                    }
                }
                long whole = System.nanoTime() - t0;
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d | %d | %d | %.2f ms | %.2f ms | %.1f ms | %.1f s |%n",
                        loadAverage(),
                        busy,
                        labs,
                        failures.size(),
                        ms(pct(connects, 50)),
                        ms(pct(connects, 90)),
                        ms(pct(starts, 50)),
                        whole / 1e9);
                failures.stream().distinct().forEach(f -> System.out.println("    failure: " + f));
            } finally {
                for (Process loop : loops) {
                    loop.destroy();
                    loop.waitFor();
                }
            }
        }
    }

    private record Result(long startNanos, long connectNanos, String failure) {}

    private static Result round(int budget) throws Exception {
        long t0 = System.nanoTime();
        try (Lab lab = Lab.start(SPEC)) {
            long started = System.nanoTime() - t0;
            Namespace srv = lab.namespace("srv");
            Namespace cli = lab.namespace("cli");
            try (ServerSocket server = srv.call(() -> {
                ServerSocket socket = new ServerSocket();
                socket.bind(new InetSocketAddress("10.0.0.1", PORT));
                return socket;
            })) {
                long c0 = System.nanoTime();
                String failure = cli.call(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("10.0.0.1", PORT), budget);
                        return null;
                    } catch (IOException e) {
                        return e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                });
                return new Result(started, System.nanoTime() - c0, failure);
            }
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
