package dev.netnslab.internal.probe;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.netns.NamespaceThread;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * The checks run in this JVM, on a thread that has entered the namespace: an ICMP echo, or a TCP
 * connect. No process is started, so a passing check costs about what the kernel's round trip
 * costs. Each result is written as an {@link ExecResult}, so failure messages keep their shape: the
 * "command" names the in-process probe, the exit code follows {@code ping}'s (0 answered, 1 no
 * answer, 2 error) and {@code timeout}'s 124, and stderr holds the error.
 *
 * <p>The echo is {@link InetAddress#isReachable(int)}, which sends ICMP only when it may open a
 * raw socket; otherwise it quietly tries TCP port 7 instead and counts a refused connection as
 * reachable. So this probe is only used where {@link NamespaceThread#canSendIcmp()} proved raw
 * sockets work: then a pass means an echo reply came from the target, as with {@code ping}.
 */
final class InProcessProbe {

    private InProcessProbe() {}

    /** One ICMP echo to {@code target}, waiting at most {@code wait} for the reply. */
    static ExecResult echo(NamespaceThread thread, String target, Duration wait) {
        List<String> command = List.of("in-process", "icmp-echo", target, "wait=" + wait.toMillis() + "ms");
        long start = System.nanoTime();
        try {
            InetAddress address = literal(target);
            int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, wait.toMillis()));
            boolean answered = thread.call(() -> address.isReachable(millis));
            return new ExecResult(
                    command,
                    answered ? 0 : 1,
                    answered ? "echo reply from " + target : "",
                    answered ? "" : "no echo reply within " + millis + " ms",
                    since(start));
        } catch (IOException e) {
            // "Network is unreachable" and the like: the kernel refused to send at all, as ping's exit 2.
            return new ExecResult(command, 2, "", String.valueOf(e.getMessage()), since(start));
        } catch (Exception e) {
            throw rethrown(e);
        }
    }

    /** One TCP connection to {@code target:port}, opened and closed within {@code budget}. */
    static ExecResult connect(NamespaceThread thread, String target, int port, Duration budget) {
        List<String> command = List.of(
                "in-process", "tcp-connect", target, String.valueOf(port), "timeout=" + budget.toMillis() + "ms");
        long start = System.nanoTime();
        try {
            InetSocketAddress address = new InetSocketAddress(literal(target), port);
            int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget.toMillis()));
            thread.call(() -> {
                // new Socket() makes its file descriptor at connect, here on the namespace's thread.
                try (Socket socket = new Socket()) {
                    socket.connect(address, millis);
                }
                return null;
            });
            return new ExecResult(command, 0, "connected to " + target + ":" + port, "", since(start));
        } catch (SocketTimeoutException e) {
            return new ExecResult(command, 124, "", "no answer within " + budget.toMillis() + " ms", since(start));
        } catch (ConnectException e) {
            return new ExecResult(command, 1, "", String.valueOf(e.getMessage()), since(start));
        } catch (IOException e) {
            return new ExecResult(command, 1, "", e.getClass().getSimpleName() + ": " + e.getMessage(), since(start));
        } catch (Exception e) {
            throw rethrown(e);
        }
    }

    /** The address of a validated literal; never a name lookup, which would go to the machine's resolver. */
    private static InetAddress literal(String target) throws UnknownHostException {
        if (!target.matches("[0-9.]+|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException("not an IP address literal: " + target);
        }
        return InetAddress.getByName(target);
    }

    private static RuntimeException rethrown(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new dev.netnslab.NetnsLabException("Interrupted while probing from a namespace", e);
        }
        return e instanceof RuntimeException runtime ? runtime : new dev.netnslab.NetnsLabException(e.getMessage(), e);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
