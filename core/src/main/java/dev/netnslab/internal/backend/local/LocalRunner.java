package dev.netnslab.internal.backend.local;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.CommandTimeoutException;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.exec.KeptOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import org.zeroturnaround.exec.StartedProcess;

/**
 * Runs commands on this machine with zt-exec. stdout and stderr are kept apart, every run has a
 * timeout, and argv goes straight to {@code execve}: no shell is involved.
 *
 * <p>When the JVM is not root but may use passwordless sudo, the runner is created with the prefix
 * {@code sudo -n}, so every command runs privileged without ever asking for a password.
 */
public final class LocalRunner implements CommandRunner {

    static {
        // zt-exec logs through slf4j. Without a provider on the class path, slf4j 2 prints a
        // warning on first use; users of a test library should not see that. An explicit setting wins.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private static final List<Process> TETHERED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final List<String> prefix;

    /** A runner that runs commands as the current user. */
    public LocalRunner() {
        this(List.of());
    }

    /** A runner that puts {@code prefix} (such as {@code sudo -n}) before every command. */
    public LocalRunner(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /**
     * Whether commands run as this JVM's own user, with no prefix such as {@code sudo -n}: then a
     * file this JVM writes is exactly what a command of this runner would write.
     */
    public boolean runsAsThisProcess() {
        return prefix.isEmpty();
    }

    @Override
    public ExecResult run(Command command) {
        Command actual = command.prefixedWith(prefix);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        long start = System.nanoTime();
        try {
            ProcessResult result = executor(actual)
                    .readOutput(true)
                    .redirectErrorStream(false)
                    .redirectError(stderr)
                    .exitValueAny()
                    .timeout(actual.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .execute();
            return new ExecResult(
                    actual.argv(),
                    result.getExitValue(),
                    result.outputUTF8(),
                    stderr.toString(StandardCharsets.UTF_8),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (TimeoutException e) {
            throw new CommandTimeoutException(actual.argv(), actual.render(), actual.timeout(), describe());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetnsLabException("Interrupted while running " + actual.render(), e);
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Could not start " + actual.render() + " on " + describe() + ": " + e.getMessage() + ". Is "
                            + actual.argv().get(0) + " installed and on the PATH?",
                    e);
        }
    }

    @Override
    public BackgroundProcess start(Command command) {
        Command actual = command.prefixedWith(prefix);
        try {
            KeptOutput output = new KeptOutput();
            StartedProcess started = executor(actual)
                    .redirectOutput(output)
                    .redirectError(output)
                    .destroyOnExit()
                    .start();
            return new LocalBackgroundProcess(started.getProcess(), output, started.getFuture());
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Could not start " + actual.render() + " on " + describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Started with a plain {@link ProcessBuilder}, not zt-exec, because zt-exec closes the child's
     * standard input when it has nothing to feed it, and this pipe must stay open for the JVM's lifetime.
     */
    @Override
    public BackgroundProcess startTethered(Command command) {
        Command actual = command.prefixedWith(prefix);
        try {
            // It may outlive the JVM, so it must not pin the JVM's working directory.
            Process process = new ProcessBuilder(actual.argv())
                    .directory(new java.io.File("/"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // Kept reachable for the JVM's lifetime: were the Process collected, its stdin could be
            // closed early, and the tethered process would think its owner had died.
            TETHERED.add(process);
            return new LocalBackgroundProcess(process, null, null);
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Could not start " + actual.render() + " on " + describe() + ": " + e.getMessage(), e);
        }
    }

    private static ProcessExecutor executor(Command command) {
        ProcessExecutor executor = new ProcessExecutor().command(command.argv());
        if (command.stdin() != null) {
            executor.redirectInput(new ByteArrayInputStream(command.stdin().getBytes(StandardCharsets.UTF_8)));
        }
        return executor;
    }

    @Override
    public String describe() {
        return prefix.isEmpty() ? "local" : "local (via " + String.join(" ", prefix) + ")";
    }

    private static final class LocalBackgroundProcess implements BackgroundProcess {
        private final Process process;
        private final KeptOutput output;
        /** Done once the process has ended and its output is pumped in full. */
        private final java.util.concurrent.Future<ProcessResult> done;

        LocalBackgroundProcess(Process process, KeptOutput output, java.util.concurrent.Future<ProcessResult> done) {
            this.process = process;
            this.output = output;
            this.done = done;
        }

        @Override
        public java.util.OptionalLong pid() {
            return java.util.OptionalLong.of(process.pid());
        }

        @Override
        public java.util.OptionalInt exitCode() {
            return process.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(process.exitValue());
        }

        @Override
        public String output() {
            if (output == null) {
                return "";
            }
            if (!process.isAlive() && done != null) {
                try {
                    // The last bytes may still be on their way from the pipe.
                    done.get(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                    // what was pumped so far is what there is
                }
            }
            return output.text();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public boolean waitFor(Duration timeout) {
            try {
                return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void close() {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            if (!waitFor(Duration.ofSeconds(2))) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(5));
            }
        }
    }
}
