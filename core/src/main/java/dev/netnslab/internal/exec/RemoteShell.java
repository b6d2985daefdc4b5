package dev.netnslab.internal.exec;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.netnslab.CommandTimeoutException;
import dev.netnslab.ExecResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * One long-lived {@code sh}, fed {@link RemoteScript} snippets on its stdin: on a remote host over an
 * SSH channel, or inside the rootless backend's user namespace as a local process. It runs one
 * command at a time; {@code SshRunner} and {@code UserNamespaceRunner} keep a few of them so parallel
 * labs do not queue. Starting a shell costs one channel or process; after that, a command costs a few
 * forks on the shell's side and one round trip.
 */
public final class RemoteShell implements AutoCloseable {

    /** The connection failed before the command was acknowledged: it did not run, so it may be retried. */
    public static final class NotStarted extends Exception {
        private static final long serialVersionUID = 1L;

        NotStarted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The command was acknowledged, then the connection failed: it may or may not have run. */
    public static final class Lost extends Exception {
        private static final long serialVersionUID = 1L;

        Lost(String message) {
            super(message);
        }
    }

    /** How long a healthy shell may take to answer something that needs no waiting. */
    private static final Duration ANSWER = Duration.ofSeconds(15);

    private final BooleanSupplier connected;
    private final Runnable disconnect;
    private final Inbox inbox;
    private final ByteArrayOutputStream shellErrors;
    private final OutputStream toShell;
    private final RemoteScript script;

    private RemoteShell(
            BooleanSupplier connected,
            Runnable disconnect,
            Inbox inbox,
            ByteArrayOutputStream shellErrors,
            OutputStream toShell,
            RemoteScript script) {
        this.connected = connected;
        this.disconnect = disconnect;
        this.shellErrors = shellErrors;
        this.inbox = inbox;
        this.toShell = toShell;
        this.script = script;
    }

    /**
     * Opens a channel running {@code sh} and waits until it is ready. Commands get the prefix
     * {@link RemoteScript#prefixFor(int)} gives for the uid the shell reports.
     */
    public static RemoteShell open(Session session, Duration timeout) throws JSchException, NotStarted {
        ChannelExec channel = (ChannelExec) session.openChannel("exec");
        channel.setCommand("exec /bin/sh");
        BooleanSupplier connected = () -> channel.isConnected() && !channel.isClosed() && session.isConnected();
        Inbox inbox = new Inbox(connected);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        channel.setOutputStream(inbox);
        channel.setErrStream(errors);
        try {
            OutputStream toShell = channel.getOutputStream();
            channel.connect((int) timeout.toMillis());
            return handshake(
                    connected,
                    channel::disconnect,
                    inbox,
                    errors,
                    toShell,
                    "${TMPDIR:-/tmp}",
                    RemoteScript::prefixFor,
                    timeout);
        } catch (IOException e) {
            channel.disconnect();
            throw new NotStarted(
                    "the remote shell closed while starting; its stderr: "
                            + errors.toString(StandardCharsets.UTF_8).strip(),
                    e);
        }
    }

    /**
     * Runs the same protocol over a local {@code sh} that {@code process} runs, such as one that
     * {@code nsenter} started inside a namespace. Commands run as that shell's user, with no prefix:
     * whoever started the process chose its privileges. Its working files go in a fresh folder under
     * {@code tmpParent}, a shell word (e.g. {@code /run}).
     */
    public static RemoteShell over(Process process, String tmpParent, Duration timeout) throws NotStarted {
        BooleanSupplier alive = process::isAlive;
        Inbox inbox = new Inbox(alive);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        copy(process.getInputStream(), inbox, "netnslab-shell-stdout");
        copy(process.getErrorStream(), errors, "netnslab-shell-stderr");
        return handshake(
                alive,
                process::destroy,
                inbox,
                errors,
                process.getOutputStream(),
                tmpParent,
                uid -> List.of(),
                timeout);
    }

    private static RemoteShell handshake(
            BooleanSupplier connected,
            Runnable disconnect,
            Inbox inbox,
            ByteArrayOutputStream errors,
            OutputStream toShell,
            String tmpParent,
            IntFunction<List<String>> prefixFor,
            Duration timeout)
            throws NotStarted {
        String tag = "NLX"
                + Long.toHexString(
                        java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try {
            toShell.write(RemoteScript.startup(tag, tmpParent).getBytes(StandardCharsets.UTF_8));
            toShell.flush();
            String ready = inbox.readLine(System.nanoTime() + timeout.toNanos());
            String[] words = ready.split(" ");
            if (words.length != 3 || !words[0].equals(tag) || !words[1].equals("ready")) {
                throw new NotStarted(
                        "the remote shell answered '" + ready + "' instead of '" + tag + " ready UID'; stderr: "
                                + errors.toString(StandardCharsets.UTF_8).strip(),
                        null);
            }
            int uid = Integer.parseInt(words[2]);
            return new RemoteShell(
                    connected, disconnect, inbox, errors, toShell, new RemoteScript(tag, prefixFor.apply(uid)));
        } catch (IOException | Inbox.Closed e) {
            disconnect.run();
            throw new NotStarted(
                    "the remote shell closed while starting; its stderr: "
                            + errors.toString(StandardCharsets.UTF_8).strip(),
                    e);
        } catch (Inbox.Timeout e) {
            disconnect.run();
            throw new NotStarted("the remote shell did not answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            disconnect.run();
            Thread.currentThread().interrupt();
            throw new NotStarted("interrupted while starting the remote shell", e);
        } catch (RuntimeException | NotStarted e) {
            disconnect.run();
            throw e;
        }
    }

    private static void copy(InputStream from, OutputStream to, String name) {
        Thread thread = new Thread(
                () -> {
                    try (from) {
                        from.transferTo(to);
                    } catch (IOException e) {
                        // the process is gone; whoever reads sees the end
                    }
                    try {
                        to.close();
                    } catch (IOException e) {
                        // nothing to do
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The program itself was missing: say so, as {@code LocalRunner} does, instead of returning exit
     * 127. {@code where} names the place for the message.
     */
    public static ExecResult checkStarted(ExecResult result, List<String> usedPrefix, String where) {
        if (result.exitCode() == 127
                && usedPrefix.isEmpty()
                && result.stdout().isEmpty()
                && result.stderr().contains("exec: " + result.command().get(0) + ": not found")) {
            throw new dev.netnslab.NetnsLabException("Could not start " + result.commandLine() + " on " + where + ": "
                    + result.stderr().strip() + ". Is " + result.command().get(0)
                    + " installed and on the PATH there?");
        }
        return result;
    }

    /** Whether this shell can take another command. */
    public boolean isUsable() {
        return connected.getAsBoolean() && !inbox.isClosed();
    }

    /**
     * Runs {@code command} to completion.
     *
     * @param killer called with the remote pid when the command outlives its timeout; must stop it
     * @throws CommandTimeoutException when the command outlived its timeout (it has been stopped)
     */
    public ExecResult run(Command command, LongConsumer killer, String where)
            throws NotStarted, Lost, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + command.timeout().toNanos();
        send(script.foreground(command));
        long pid = awaitPid(command, Math.max(deadline, System.nanoTime() + ANSWER.toNanos()));
        String[] report;
        try {
            report = expect(inbox.readLine(deadline), "r", 5);
        } catch (Inbox.Timeout e) {
            CommandTimeoutException timeout =
                    new CommandTimeoutException(command.argv(), command.render(), command.timeout(), where);
            try {
                killer.accept(pid);
            } catch (RuntimeException failed) {
                timeout.addSuppressed(failed);
                close();
                throw timeout;
            }
            // Read the report of the killed command, so the shell is in step for the next one.
            try {
                report = expect(inbox.readLine(System.nanoTime() + ANSWER.toNanos()), "r", 5);
                inbox.read(Long.parseLong(report[3]) + Long.parseLong(report[4]), System.nanoTime() + ANSWER.toNanos());
            } catch (Inbox.Timeout | Inbox.Closed | RuntimeException again) {
                close();
            }
            throw timeout;
        } catch (Inbox.Closed e) {
            throw lost(command);
        }
        try {
            long answerBy = System.nanoTime() + ANSWER.toNanos();
            byte[] stdout = inbox.read(Long.parseLong(report[3]), answerBy);
            byte[] stderr = inbox.read(Long.parseLong(report[4]), answerBy);
            return new ExecResult(
                    script.argv(command),
                    Integer.parseInt(report[2]),
                    new String(stdout, StandardCharsets.UTF_8),
                    new String(stderr, StandardCharsets.UTF_8),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (Inbox.Timeout | Inbox.Closed e) {
            close();
            throw lost(command);
        }
    }

    /** Starts {@code command} detached and returns its remote pid. */
    public long start(Command command) throws NotStarted, Lost, InterruptedException {
        send(script.background(command));
        return awaitPid(command, System.nanoTime() + ANSWER.toNanos());
    }

    /** What this shell puts before every argv. */
    public List<String> prefix() {
        return script.prefix();
    }

    private void send(String text) throws NotStarted {
        try {
            toShell.write(text.getBytes(StandardCharsets.UTF_8));
            toShell.flush();
        } catch (IOException e) {
            close();
            throw new NotStarted("could not send the command: " + e.getMessage(), e);
        }
    }

    private long awaitPid(Command command, long deadline) throws NotStarted, Lost, InterruptedException {
        try {
            expect(inbox.readLine(System.nanoTime() + ANSWER.toNanos()), "a", 2);
        } catch (Inbox.Closed | Inbox.Timeout e) {
            close();
            throw new NotStarted("the connection closed before the remote shell took the command", e);
        }
        try {
            return Long.parseLong(expect(inbox.readLine(deadline), "p", 3)[2]);
        } catch (Inbox.Closed | Inbox.Timeout e) {
            close();
            throw lost(command);
        }
    }

    private String[] expect(String line, String kind, int words) {
        String[] parts = line.split(" ");
        if (parts.length != words || !parts[0].equals(script.tag()) || !parts[1].equals(kind)) {
            close();
            throw new dev.netnslab.NetnsLabException("The remote shell is out of step: expected '" + script.tag() + " "
                    + kind + " ...' but read '" + line + "'; its stderr: "
                    + shellErrors.toString(StandardCharsets.UTF_8).strip());
        }
        return parts;
    }

    private Lost lost(Command command) {
        close();
        String errors = shellErrors.toString(StandardCharsets.UTF_8).strip();
        return new Lost("the connection failed while " + command.render() + " ran; it may or may not have completed"
                + (errors.isEmpty() ? "" : " (the remote shell said: " + errors + ")"));
    }

    /** Ends the shell: closing its stdin lets it exit and remove its temporary folder. */
    @Override
    public void close() {
        try {
            toShell.close();
        } catch (IOException e) {
            // the channel is going away anyway
        }
        disconnect.run();
    }
}
