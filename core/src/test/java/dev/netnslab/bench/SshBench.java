package dev.netnslab.bench;

import dev.netnslab.internal.backend.ssh.SshRunner;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.testing.TestSshd;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Per-command cost of {@code true} over SSH on loopback: {@link SshRunner} (persistent remote shells)
 * against a new {@code ssh} per call, and against {@code ssh} with ControlMaster. Not a test: run it
 * by hand, as root, with an sshd installed:
 *
 * <pre>
 * ./mvnw -q -pl core test-compile exec:java -Dexec.mainClass=dev.netnslab.bench.SshBench -Dexec.classpathScope=test
 * </pre>
 *
 * Optional arguments: the number of runner calls (default 500) and of ssh calls (default 30).
 */
public final class SshBench {

    private SshBench() {}

    public static void main(String[] args) throws Exception {
        int runnerCalls = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int sshCalls = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        if (!TestSshd.available()) {
            System.err.println("needs /usr/sbin/sshd and ssh-keygen (apt-get install -y openssh-server)");
            System.exit(2);
        }
        try (TestSshd sshd = TestSshd.start()) {
            double runner = runnerMedian(sshd, runnerCalls);
            List<String> plain = sshArgv(sshd, List.of());
            double perCall = median(sshCalls, plain);
            Path control = sshd.dir().resolve("cm-%C");
            List<String> multiplexed = sshArgv(
                    sshd,
                    List.of("-o", "ControlMaster=auto", "-o", "ControlPath=" + control, "-o", "ControlPersist=60"));
            double controlMaster;
            try {
                exec(multiplexed); // starts the master
                controlMaster = median(sshCalls, multiplexed);
            } finally {
                List<String> stop = new ArrayList<>(multiplexed.subList(0, multiplexed.size() - 1));
                stop.add(stop.size() - 1, "-O");
                stop.add(stop.size() - 1, "exit");
                exec(stop);
            }
            System.out.println("machine: " + machine());
            System.out.printf(
                    Locale.ROOT, "SshRunner (persistent shells), %d calls: median %.2f ms%n", runnerCalls, runner);
            System.out.printf(
                    Locale.ROOT, "ssh per call, %d calls:                  median %.2f ms%n", sshCalls, perCall);
            System.out.printf(
                    Locale.ROOT, "ssh with ControlMaster, %d calls:        median %.2f ms%n", sshCalls, controlMaster);
            System.out.printf(
                    Locale.ROOT,
                    "ratio ssh per call / SshRunner: %.0fx; ControlMaster / SshRunner: %.0fx%n",
                    perCall / runner,
                    controlMaster / runner);
        }
    }

    private static double runnerMedian(TestSshd sshd, int calls) {
        try (SshRunner runner = SshRunner.connect(sshd.target())) {
            Command command = Command.of(Duration.ofSeconds(10), List.of("true"));
            for (int i = 0; i < 50; i++) {
                runner.run(command);
            }
            double[] millis = new double[calls];
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                if (!runner.run(command).isSuccess()) {
                    throw new IllegalStateException("true failed over SshRunner");
                }
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            return median(millis);
        }
    }

    private static List<String> sshArgv(TestSshd sshd, List<String> options) {
        List<String> argv = new ArrayList<>(List.of(
                "ssh",
                "-i",
                sshd.identity().toString(),
                "-p",
                Integer.toString(sshd.port()),
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + sshd.knownHosts()));
        argv.addAll(options);
        argv.addAll(List.of("root@127.0.0.1", "true"));
        return argv;
    }

    private static double median(int calls, List<String> argv) throws IOException, InterruptedException {
        exec(argv);
        double[] millis = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            exec(argv);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return median(millis);
    }

    private static void exec(List<String> argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", argv) + " hung");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " exited " + process.exitValue());
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String machine() {
        String cpu = "unknown cpu";
        try {
            cpu = java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .findFirst()
                    .map(line -> line.split(":", 2)[1].strip())
                    .orElse(cpu);
        } catch (IOException e) {
            // keep "unknown cpu"
        }
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " cpus (" + cpu + "), Java "
                + System.getProperty("java.version");
    }
}
