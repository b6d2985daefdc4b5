package dev.netnslab.internal.probe;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.engine.LabNamespace;
import dev.netnslab.internal.netns.NamespaceThread;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a namespace reaches an address: by ICMP echo or by a TCP connect, run inside the
 * namespace. Where the lab's kernel is this JVM's (the local backend, as root), both run in this
 * JVM on a thread inside the namespace ({@link InProcessProbe}), in microseconds; elsewhere, or
 * with {@code netnslab.checks=process}, they run {@code ping} and {@code bash} in the namespace.
 * The deadlines are the same either way. Targets are validated by the caller; they are passed as
 * arguments and never spliced into a script.
 */
public final class Reachability {

    /** Deadline of one echo; a veth answers in microseconds, so this only bounds the failing case. */
    static final Duration ATTEMPT = Duration.ofMillis(250);
    /** How long a TCP connect may take before it counts as "no answer". */
    public static final Duration CONNECT_BUDGET = Duration.ofSeconds(2);
    /** The longest a negative ping waits for an echo that should not come. */
    static final Duration NEGATIVE_PING_CAP = Duration.ofMillis(500);

    private Reachability() {}

    /** What a probe found: whether it passed, how many tries it made, and the last command's result. */
    public record Outcome(boolean passed, int attempts, Duration budget, ExecResult last) {
        /** This outcome, passed when its last result succeeded. */
        Outcome settle() {
            return new Outcome(last.isSuccess(), attempts, budget, last);
        }
    }

    /**
     * Pings {@code target} from {@code ns} until one echo is answered or {@code budget} runs out. A
     * passing check costs one echo; a failing one at most the budget.
     */
    public static Outcome pingUntil(LabNamespace ns, String target, Duration budget) {
        Deadline deadline = Deadline.in(budget);
        int attempts = 0;
        while (true) {
            attempts++;
            ExecResult last = ping(ns, target, ATTEMPT);
            if (last.isSuccess()) {
                return new Outcome(true, attempts, budget, last);
            }
            if (deadline.remaining().compareTo(ATTEMPT.dividedBy(5)) < 0) {
                return new Outcome(false, attempts, budget, last);
            }
            deadline.sleep(Duration.ofMillis(20), "between pings from " + ns.name() + " to " + target);
        }
    }

    /** Sends one echo to {@code target} and waits at most {@code min(budget, 500 ms)} for the reply. */
    public static Outcome pingOnce(LabNamespace ns, String target, Duration budget) {
        Duration wait = budget.compareTo(NEGATIVE_PING_CAP) < 0 ? budget : NEGATIVE_PING_CAP;
        ExecResult result = ping(ns, target, wait);
        return new Outcome(result.isSuccess(), 1, wait, result);
    }

    /** Opens a TCP connection from {@code ns} to {@code target:port} and closes it again, within {@link #CONNECT_BUDGET}. */
    public static Outcome connect(LabNamespace ns, String target, int port) {
        return connect(ns, target, port, CONNECT_BUDGET);
    }

    /** Opens a TCP connection from {@code ns} to {@code target:port} and closes it again, within {@code budget}. */
    public static Outcome connect(LabNamespace ns, String target, int port, Duration budget) {
        Optional<NamespaceThread> thread = ns.checkThread();
        if (thread.isPresent()) {
            return new Outcome(false, 1, budget, InProcessProbe.connect(thread.get(), target, port, budget)).settle();
        }
        String seconds = String.format(Locale.ROOT, "%.3f", budget.toMillis() / 1000.0);
        ExecResult result = ns.exec(
                budget.plusSeconds(5),
                "timeout",
                seconds,
                "bash",
                // Started under sshd, a non-interactive bash reads ~/.bashrc unless told not to; a
                // slow one (pyenv, conda) would eat the whole budget.
                "--norc",
                "-c",
                "exec 3<>\"/dev/tcp/$1/$2\"",
                "netnslab-connect",
                target,
                String.valueOf(port));
        return new Outcome(result.isSuccess(), 1, budget, result);
    }

    /**
     * A connect's time limit, if it is one: more than 0 and at most a minute.
     *
     * @throws IllegalArgumentException otherwise, saying what is allowed
     */
    public static Duration connectTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toSeconds() > 60) {
            throw new IllegalArgumentException("a connect timeout is more than 0 and at most 60 s, and got " + timeout
                    + "; pass e.g. Duration.ofMillis(300)");
        }
        return timeout;
    }

    /** Why a connect failed, in words: refused, unreachable, no answer. */
    public static String connectFailure(ExecResult result) {
        return connectFailure(result, CONNECT_BUDGET);
    }

    /** Why a connect with {@code budget} failed, in words: refused, unreachable, no answer. */
    public static String connectFailure(ExecResult result, Duration budget) {
        if (result.exitCode() == 124) {
            return "no answer within " + budget.toMillis() + " ms";
        }
        String err = result.stderr();
        if (err.contains("refused")) {
            return "connection refused";
        }
        if (err.contains("unreachable")) {
            return "network unreachable";
        }
        return "exit " + result.exitCode();
    }

    private static ExecResult ping(LabNamespace ns, String target, Duration wait) {
        Optional<NamespaceThread> thread = ns.checkThread().filter(NamespaceThread::canSendIcmp);
        if (thread.isPresent()) {
            return InProcessProbe.echo(thread.get(), target, wait);
        }
        String seconds = String.format(Locale.ROOT, "%.3f", wait.toMillis() / 1000.0);
        return ns.exec(
                wait.plusSeconds(5),
                "ping",
                target.indexOf(':') >= 0 ? "-6" : "-4",
                "-n",
                "-q",
                "-c",
                "1",
                "-W",
                seconds,
                target);
    }
}
