package dev.netnslab.internal.netns;

import com.sun.jna.LastErrorException;
import dev.netnslab.NetnsLabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform threads of this JVM that live inside one network namespace: one dedicated thread for
 * {@link #call(Callable)}, and a pool for {@link #executor()}. Each thread enters the namespace
 * with {@code setns(2)} before it runs anything, and stays there until it ends.
 *
 * <p>Why dedicated platform threads: a network namespace belongs to an OS thread, not to Java
 * code. A virtual thread moves between carrier threads, so code on it would jump between
 * namespaces; a thread from a shared pool would carry the namespace into other people's tasks.
 * Sockets keep the namespace of the thread that created their file descriptor, so a socket made
 * here works from any thread afterwards; threads and processes started from here inherit the
 * namespace too.
 */
public final class NamespaceThread implements AutoCloseable {

    /** Which namespace the current thread entered, if it is one of ours; nested calls then run inline. */
    private static final ThreadLocal<NamespaceThread> CURRENT = new ThreadLocal<>();

    private final String label;
    private final Path file;
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger poolThreads = new AtomicInteger();
    private final boolean icmp;
    private volatile boolean closed;

    private NamespaceThread(String label, Path file) {
        this.label = label;
        this.file = file;
        CompletableFuture<Boolean> entered = new CompletableFuture<>();
        worker = new Thread(
                () -> {
                    try {
                        enter();
                        entered.complete(canOpenRawIcmp());
                    } catch (Throwable e) {
                        entered.completeExceptionally(e);
                        return;
                    }
                    serve();
                },
                "netnslab-" + label);
        worker.setDaemon(true);
        worker.start();
        try {
            icmp = entered.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new NetnsLabException(e.getCause().getMessage(), e.getCause());
        }
        pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "netnslab-" + label + "-" + poolThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts the thread of the namespace whose file is {@code file} ({@code /run/netns/NAME}).
     *
     * @param label what to call the namespace in thread names and messages, e.g. {@code netns1-nl4k2x9q}
     * @throws NetnsLabException when this JVM cannot enter it, saying why and what to do
     */
    public static NamespaceThread start(String label, Path file) {
        return new NamespaceThread(label, file);
    }

    /**
     * Whether this JVM may enter namespaces at all: it must run as root, since {@code setns(2)} needs
     * CAP_SYS_ADMIN in the JVM's own user namespace, and JNA must load.
     *
     * @return {@code null} when it may, otherwise the reason it may not
     */
    public static String whyNot() {
        try {
            int uid = Libc.geteuid();
            return uid == 0
                    ? null
                    : "this JVM runs as uid " + uid + ", and setns(2) needs root (CAP_SYS_ADMIN) in the JVM itself;"
                            + " sudo for the lab's commands does not lift the JVM";
        } catch (LinkageError e) {
            return "JNA could not load its native library (" + e.getMessage()
                    + "); if the temporary folder is mounted noexec," + " point -Djna.tmpdir at one that is not";
        }
    }

    /** Whether the namespace's threads may open raw ICMP sockets, so that an echo is a real ICMP echo. */
    public boolean canSendIcmp() {
        return icmp;
    }

    /**
     * Runs {@code task} on the namespace's dedicated thread and returns its result. Exceptions reach
     * the caller as the task threw them. Called from one of this namespace's own threads, the task
     * runs at once, on that thread, so nesting cannot deadlock.
     *
     * @throws InterruptedException when the caller is interrupted while waiting; the task is interrupted too
     */
    public <T> T call(Callable<T> task) throws Exception {
        if (CURRENT.get() == this) {
            return task.call();
        }
        FutureTask<T> future = new FutureTask<>(task);
        submit(future);
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw closedException();
        }
    }

    /**
     * An executor whose tasks run on platform threads inside the namespace: a pool that grows
     * when all its threads are busy, so a task may block (a server's accept loop) without holding
     * up {@link #call(Callable)} or other tasks.
     */
    public Executor executor() {
        return task -> {
            if (closed) {
                throw new RejectedExecutionException(closedException().getMessage());
            }
            pool.execute(() -> {
                if (CURRENT.get() != this) {
                    // A pool thread enters the namespace before its first task, and stays there.
                    enter();
                }
                task.run();
            });
        };
    }

    private void submit(FutureTask<?> future) {
        if (closed) {
            throw closedException();
        }
        tasks.add(future);
        if (closed && tasks.remove(future)) {
            throw closedException();
        }
    }

    private void serve() {
        while (!closed) {
            Runnable task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                continue;
            }
            task.run();
            // A cancelled call may have interrupted this thread; that must not leak into the next task.
            Thread.interrupted();
        }
        Runnable left;
        while ((left = tasks.poll()) != null) {
            if (left instanceof FutureTask<?> future) {
                future.cancel(false);
            }
        }
    }

    private void enter() {
        if (!Files.exists(file)) {
            throw new NetnsLabException(
                    "Cannot enter namespace " + label + ": " + file + " does not exist (was its lab closed?)");
        }
        try {
            int fd = Libc.open(file.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
            try {
                Libc.setns(fd, Libc.CLONE_NEWNET);
            } finally {
                Libc.close(fd);
            }
        } catch (LastErrorException e) {
            String why = whyNot();
            throw new NetnsLabException(
                    "Cannot enter namespace " + label + " (" + file + "): " + e.getMessage()
                            + (why == null ? "" : "; " + why) + ". Run the tests as root on the lab's machine.",
                    e);
        }
        CURRENT.set(this);
    }

    private static boolean canOpenRawIcmp() {
        return canOpen(Libc.AF_INET, Libc.IPPROTO_ICMP) && canOpen(Libc.AF_INET6, Libc.IPPROTO_ICMPV6);
    }

    private static boolean canOpen(int family, int protocol) {
        try {
            Libc.close(Libc.socket(family, Libc.SOCK_RAW, protocol));
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    private NetnsLabException closedException() {
        return new NetnsLabException("The threads of namespace " + label + " are closed: its lab was closed");
    }

    /**
     * Ends the namespace's threads: queued calls fail, running tasks are interrupted. Waits a
     * moment for the dedicated thread, so that it no longer holds the namespace when the lab deletes it.
     */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        worker.interrupt();
        try {
            worker.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "threads of namespace " + label;
    }
}
