package dev.netnslab.internal.engine;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.netns.NamespaceThread;
import dev.netnslab.internal.settings.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A process a test spawned in a namespace, with the waits Testcontainers gives containers: for a TCP
 * listener in the namespace, and for a line of output. A wait that fails, or a process that exits
 * first, says which command, its exit code and its last lines of output.
 */
final class SpawnedProcess implements BackgroundProcess {

    private static final Duration POLL = Duration.ofMillis(20);
    private static final int LAST_LINES = 20;

    private final LabNamespace ns;
    private final List<String> argv;
    private final BackgroundProcess process;

    SpawnedProcess(LabNamespace ns, List<String> argv, BackgroundProcess process) {
        this.ns = ns;
        this.argv = List.copyOf(argv);
        this.process = process;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public boolean waitFor(Duration timeout) {
        return process.waitFor(timeout);
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public OptionalLong pid() {
        return process.pid();
    }

    @Override
    public OptionalInt exitCode() {
        return process.exitCode();
    }

    @Override
    public String output() {
        return process.output();
    }

    @Override
    public BackgroundProcess awaitListening(int port) {
        return awaitListening(port, defaultTimeout());
    }

    @Override
    public BackgroundProcess awaitListening(int port, Duration timeout) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("awaitListening(" + port
                    + ") is refused: a TCP port is 1 to 65535. Pass the port the server listens on.");
        }
        return await("listened on TCP port " + port, timeout, () -> listening().contains(port));
    }

    @Override
    public BackgroundProcess awaitOutput(Pattern pattern) {
        return awaitOutput(pattern, defaultTimeout());
    }

    @Override
    public BackgroundProcess awaitOutput(Pattern pattern, Duration timeout) {
        return await(
                "printed a line matching /" + pattern.pattern() + "/",
                timeout,
                () -> pattern.matcher(process.output()).find());
    }

    private BackgroundProcess await(String what, Duration timeout, java.util.function.BooleanSupplier done) {
        Deadline deadline = Deadline.in(timeout);
        while (true) {
            boolean alive = process.isAlive();
            if (done.getAsBoolean()) {
                return this;
            }
            if (!alive) {
                throw failure("exited" + exitText() + " before it " + what, "Check the command and its arguments.");
            }
            if (deadline.isPast()) {
                throw failure(
                        "did not say it " + what + " within " + Setting.format(timeout) + "; it is still running"
                                + pid().stream()
                                        .mapToObj(p -> " (pid " + p + ")")
                                        .findFirst()
                                        .orElse(""),
                        "Check what it waits for in its output, or give it more time: pass a timeout, or raise "
                                + Setting.READY_TIMEOUT.key() + ".");
            }
            deadline.sleep(POLL, "for " + Command.render(argv) + " in namespace " + ns.name());
        }
    }

    private String exitText() {
        OptionalInt code = process.exitCode();
        return code.isPresent() ? " with code " + code.getAsInt() : "";
    }

    private NetnsLabException failure(String what, String hint) {
        String output = process.output();
        List<String> lines = output.lines().toList();
        List<String> last = lines.subList(Math.max(0, lines.size() - LAST_LINES), lines.size());
        return new NetnsLabException("Process " + Command.render(argv) + " in namespace " + ns.name() + " of lab "
                + ns.lab().id() + " " + what + ". "
                + (last.isEmpty()
                        ? "It printed nothing. "
                        : "Its last output lines:\n  " + String.join("\n  ", last) + "\n")
                + hint);
    }

    /** The TCP ports something listens on in the namespace, IPv4 and IPv6. */
    private Set<Integer> listening() {
        Optional<NamespaceThread> thread = ns.lab().threads().forChecks(ns);
        String table;
        if (thread.isPresent()) {
            try {
                // A thread's own view of /proc/net is its network namespace's.
                table = thread.get().call(() -> read("/proc/thread-self/net/tcp") + read("/proc/thread-self/net/tcp6"));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new NetnsLabException("Interrupted while reading the listeners of " + ns.name(), e);
            }
        } else {
            ExecResult result = ns.exec(
                    List.of("cat", "/proc/net/tcp", "/proc/net/tcp6"),
                    null,
                    ns.lab().commandTimeout());
            table = result.stdout();
        }
        return listeningPorts(table);
    }

    private static String read(String file) throws java.io.IOException {
        Path path = Path.of(file);
        return Files.exists(path) ? Files.readString(path) : "";
    }

    /** The local ports in state LISTEN ({@code 0A}) of {@code /proc/net/tcp} or {@code tcp6} text. Pure. */
    static Set<Integer> listeningPorts(String table) {
        Set<Integer> ports = new HashSet<>();
        for (String line : table.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 3 && fields[0].endsWith(":") && fields[3].equals("0A")) {
                String local = fields[1];
                int colon = local.lastIndexOf(':');
                if (colon > 0) {
                    ports.add(Integer.parseInt(local.substring(colon + 1), 16));
                }
            }
        }
        return ports;
    }

    private Duration defaultTimeout() {
        return ns.lab().settings().get(Setting.READY_TIMEOUT);
    }

    @Override
    public String toString() {
        return "process " + Command.render(argv) + " in namespace " + ns.name() + ", " + process;
    }
}
