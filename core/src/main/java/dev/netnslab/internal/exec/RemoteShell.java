package dev.netnslab.internal.exec;

import dev.netnslab.CommandTimeoutException;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.netnslab.ExecResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * One long-lived {@code sh} on the remote host, fed {@link RemoteScript} snippets on its stdin. It
 * runs one command at a time; {@link SshRunner} keeps a few of them so parallel labs do not queue.
 * Starting a shell costs one SSH channel and one remote process; after that, a command costs a few
 * local forks on the remote side and one round trip.
 */
final class RemoteShell implements AutoCloseable {

    /** The connection failed before the command was acknowledged: it did not run, so it may be retried. */
    static final class NotStarted extends Exception {
        private static final long serialVersionUID = 1L;

        NotStarted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The command was acknowledged, then the connection failed: it may or may not have run. */
    static final class Lost extends Exception {
        private static final long serialVersionUID = 1L;

        Lost(String message) {
            super(message);
        }
    }

    /** How long a healthy shell may take to answer something that needs no waiting. */
    private static final Duration ANSWER = Duration.ofSeconds(15);

    private final Session session;
    private final ChannelExec channel;
    private final Inbox inbox;
    private final ByteArrayOutputStream shellErrors;
    private final OutputStream toShell;
    private final RemoteScript script;

    private RemoteShell(Session session, ChannelExec channel, Inbox inbox, ByteArrayOutputStream shellErrors,
                        OutputStream toShell, RemoteScript script) {
        this.session = session;
        this.shellErrors = shellErrors;
        this.channel = channel;
        this.inbox = inbox;
        this.toShell = toShell;
        this.script = script;
    }

    /**
     * Opens a channel running {@code sh} and waits until it is ready. Commands get the prefix
     * {@link RemoteScript#prefixFor(int)} gives for the uid the shell reports.
     */
    static RemoteShell open(Session session, Duration timeout) throws JSchException, NotStarted {
        ChannelExec channel = (ChannelExec) session.openChannel("exec");
        channel.setCommand("exec /bin/sh");
        Inbox inbox = new Inbox(() -> channel.isConnected() && !channel.isClosed() && session.isConnected());
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        channel.setOutputStream(inbox);
        channel.setErrStream(errors);
        String tag = "NLX" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try {
            OutputStream toShell = channel.getOutputStream();
            channel.connect((int) timeout.toMillis());
            toShell.write(RemoteScript.startup(tag).getBytes(StandardCharsets.UTF_8));
            toShell.flush();
            String ready = inbox.readLine(System.nanoTime() + timeout.toNanos());
            String[] words = ready.split(" ");
            if (words.length != 3 || !words[0].equals(tag) || !words[1].equals("ready")) {
                throw new NotStarted("the remote shell answered '" + ready + "' instead of '" + tag
                        + " ready UID'; stderr: " + errors.toString(StandardCharsets.UTF_8).strip(), null);
            }
            int uid = Integer.parseInt(words[2]);
            return new RemoteShell(session, channel, inbox, errors, toShell, new RemoteScript(tag, RemoteScript.prefixFor(uid)));
        } catch (IOException | Inbox.Closed e) {
            channel.disconnect();
            throw new NotStarted("the remote shell closed while starting; its stderr: "
                    + errors.toString(StandardCharsets.UTF_8).strip(), e);
        } catch (Inbox.Timeout e) {
            channel.disconnect();
            throw new NotStarted("the remote shell did not answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            channel.disconnect();
            Thread.currentThread().interrupt();
            throw new NotStarted("interrupted while starting the remote shell", e);
        } catch (RuntimeException | NotStarted e) {
            channel.disconnect();
            throw e;
        }
    }

    /** Whether this shell can take another command. */
    boolean isUsable() {
        return session.isConnected() && channel.isConnected() && !channel.isClosed() && !inbox.isClosed();
    }

    /**
     * Runs {@code command} to completion.
     *
     * @param killer called with the remote pid when the command outlives its timeout; must stop it
     * @throws CommandTimeoutException when the command outlived its timeout (it has been stopped)
     */
    ExecResult run(Command command, LongConsumer killer, String where) throws NotStarted, Lost, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + command.timeout().toNanos();
        send(script.foreground(command));
        long pid = awaitPid(command, Math.max(deadline, System.nanoTime() + ANSWER.toNanos()));
        String[] report;
        try {
            report = expect(inbox.readLine(deadline), "r", 5);
        } catch (Inbox.Timeout e) {
            CommandTimeoutException timeout = new CommandTimeoutException(command.argv(), command.render(), command.timeout(), where);
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
            return new ExecResult(script.argv(command), Integer.parseInt(report[2]),
                    new String(stdout, StandardCharsets.UTF_8), new String(stderr, StandardCharsets.UTF_8),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (Inbox.Timeout | Inbox.Closed e) {
            close();
            throw lost(command);
        }
    }

    /** Starts {@code command} detached and returns its remote pid. */
    long start(Command command) throws NotStarted, Lost, InterruptedException {
        send(script.background(command));
        return awaitPid(command, System.nanoTime() + ANSWER.toNanos());
    }

    /** What this shell puts before every argv. */
    List<String> prefix() {
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
            throw new dev.netnslab.NetnsLabException("The remote shell is out of step: expected '" + script.tag() + " " + kind
                    + " ...' but read '" + line + "'; its stderr: " + shellErrors.toString(StandardCharsets.UTF_8).strip());
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
        channel.disconnect();
    }
}
