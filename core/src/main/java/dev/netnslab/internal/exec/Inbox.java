package dev.netnslab.internal.exec;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes arriving on an SSH channel, readable with a deadline. JSch pushes data into it from its
 * session thread (as the channel's output stream); the reading thread waits on a condition, so
 * every read is bounded, unlike JSch's own piped streams.
 */
public final class Inbox extends OutputStream {

    /** The reader gave up: the deadline passed. */
    public static final class Timeout extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** The channel closed before the expected data arrived. */
    public static final class Closed extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private final java.util.function.BooleanSupplier alive;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private byte[] buffer = new byte[8192];
    private int start;
    private int end;
    private boolean closed;

    /** @param alive whether the channel still stands; checked while waiting, since a dead session may never close us */
    public Inbox(java.util.function.BooleanSupplier alive) {
        this.alive = alive;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        lock.lock();
        try {
            if (end + length > buffer.length) {
                int used = end - start;
                byte[] target =
                        used + length > buffer.length ? new byte[Math.max(buffer.length * 2, used + length)] : buffer;
                System.arraycopy(buffer, start, target, 0, used);
                buffer = target;
                start = 0;
                end = used;
            }
            System.arraycopy(bytes, offset, buffer, end, length);
            end += length;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** The next line, without its newline, decoded as UTF-8. */
    public String readLine(long deadlineNanos) throws Timeout, Closed, InterruptedException {
        lock.lock();
        try {
            while (true) {
                for (int i = start; i < end; i++) {
                    if (buffer[i] == '\n') {
                        String line = new String(buffer, start, i - start, StandardCharsets.UTF_8);
                        start = i + 1;
                        return line;
                    }
                }
                await(deadlineNanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Exactly {@code count} bytes. */
    public byte[] read(long count, long deadlineNanos) throws Timeout, Closed, InterruptedException {
        if (count > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("Cannot hold " + count + " bytes of command output in memory");
        }
        lock.lock();
        try {
            while (end - start < count) {
                await(deadlineNanos);
            }
            byte[] bytes = Arrays.copyOfRange(buffer, start, start + (int) count);
            start += (int) count;
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Everything received so far, for diagnostics. */
    public String drain() {
        lock.lock();
        try {
            String text = new String(buffer, start, end - start, StandardCharsets.UTF_8);
            start = end;
            return text;
        } finally {
            lock.unlock();
        }
    }

    private void await(long deadlineNanos) throws Timeout, Closed, InterruptedException {
        if (closed || !alive.getAsBoolean()) {
            closed = true;
            throw new Closed();
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new Timeout();
        }
        // Wake at least every 200 ms: a dead session does not always close its channels' streams.
        arrived.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
    }
}
