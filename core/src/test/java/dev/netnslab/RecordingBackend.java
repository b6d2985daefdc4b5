package dev.netnslab;

import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.settings.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A backend that touches no kernel: it records every command and answers each with success, unless
 * told to {@linkplain #answer(String, int, String) answer a program otherwise}. Once
 * {@linkplain #forbid() forbidden}, any command fails the test at once, which is how tests prove
 * that something was rejected before the system was changed.
 */
public final class RecordingBackend implements Kernel {

    /** Settings for labs on this backend: no watchdog and no sweep, which would need a real kernel. */
    public static final Settings SETTINGS = Settings.of(
            key -> Optional.ofNullable(Map.of("netnslab.watchdog", "false", "netnslab.sweep", "false")
                    .get(key)),
            Map.of());

    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES =
            new java.util.concurrent.atomic.AtomicInteger();
    private final int instance = INSTANCES.incrementAndGet();
    private final List<Command> commands = new CopyOnWriteArrayList<>();
    private final Map<String, ExecResult> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean forbidden;
    private volatile String linkState;

    /**
     * From now on, commands that run {@code program} (wherever in the argv it appears, as after
     * {@code ip netns exec NAME}) exit with {@code exitCode} and print {@code stderr}.
     */
    public RecordingBackend answer(String program, int exitCode, String stderr) {
        answers.put(program, new ExecResult(List.of(program), exitCode, "", stderr, Duration.ZERO));
        return this;
    }

    /**
     * From now on, a lab's readiness read ({@code ip -d -o -n NS -batch -} of {@code link show} and
     * {@code addr show}) prints {@code output}. Until then it prints every interface the lab's batches
     * set up in that namespace as up, with carrier and operational.
     */
    public RecordingBackend linkState(String output) {
        linkState = output;
        return this;
    }

    /** From now on, running any command fails the test. */
    public RecordingBackend forbid() {
        forbidden = true;
        return this;
    }

    public List<Command> commands() {
        return commands;
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public CommandRunner runner() {
        return runner;
    }

    private final CommandRunner runner = new CommandRunner() {
        @Override
        public ExecResult run(Command command) {
            check(command);
            for (Map.Entry<String, ExecResult> answer : answers.entrySet()) {
                if (command.argv().contains(answer.getKey())) {
                    ExecResult canned = answer.getValue();
                    return new ExecResult(
                            command.argv(), canned.exitCode(), canned.stdout(), canned.stderr(), Duration.ZERO);
                }
            }
            if ("link show\naddr show\n".equals(command.stdin())) {
                return new ExecResult(
                        command.argv(), 0, linkState == null ? ready(command) : linkState, "", Duration.ZERO);
            }
            // Reads of /proc (who owns what, boot id, uptime) get this machine's answers.
            String stdout = command.argv().get(0).equals("cat")
                    ? readLocally(command.argv().subList(1, command.argv().size()))
                    : "";
            if (command.argv().contains(Kernel.NeighbourLimit.FILE)) {
                stdout = "1024\n"; // the kernel's default, whatever this machine is set to
            }
            return new ExecResult(command.argv(), 0, stdout, "", Duration.ZERO);
        }

        @Override
        public BackgroundProcess start(Command command) {
            check(command);
            throw new UnsupportedOperationException("the recording backend starts no processes");
        }

        @Override
        public String describe() {
            // Unique per instance, so that per-backend state (neighbour budget, reaper session) is per test.
            return "recording (no kernel) #" + instance;
        }
    };

    /** Every interface the batches recorded so far set up in the namespace {@code read} names, as ready. */
    private String ready(Command read) {
        List<String> argv = read.argv();
        String ns = argv.get(argv.indexOf("-n") + 1);
        StringBuilder out = new StringBuilder();
        int index = 2;
        for (Command command : commands) {
            int n = command.argv().indexOf("-n");
            if (n < 0 || !command.argv().get(n + 1).equals(ns) || command.stdin() == null || command == read) {
                continue;
            }
            for (String line : command.stdin().split("\n")) {
                java.util.regex.Matcher up = java.util.regex.Pattern.compile("^link set dev (\\S+) up$")
                        .matcher(line);
                if (up.matches()) {
                    out.append(index++)
                            .append(": ")
                            .append(up.group(1))
                            .append(
                                    ": <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT\n");
                }
            }
        }
        return out.toString();
    }

    private static String readLocally(List<String> paths) {
        StringBuilder out = new StringBuilder();
        for (String path : paths) {
            try {
                out.append(java.nio.file.Files.readString(java.nio.file.Path.of(path)));
            } catch (java.io.IOException e) {
                // like cat: a missing file is skipped
            }
        }
        return out.toString();
    }

    private void check(Command command) {
        if (forbidden) {
            throw new AssertionError("No command may run, but this one was about to: " + command.render());
        }
        commands.add(command);
    }
}
