package dev.netnslab.internal.exec;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The last bytes a background process wrote, for {@code BackgroundProcess.output()} and for the
 * messages of a failed wait: a stream that keeps at most {@link #LIMIT} bytes, dropping the oldest.
 */
public final class KeptOutput extends OutputStream {

    /** How much output is kept: 64 KiB. */
    public static final int LIMIT = 64 * 1024;

    private final byte[] ring = new byte[LIMIT];
    private long written;

    @Override
    public synchronized void write(int b) {
        ring[(int) (written % LIMIT)] = (byte) b;
        written++;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) ((written + i) % LIMIT)] = bytes[offset + i];
        }
        written += length;
    }

    /** The kept output as text (UTF-8; a character cut at the start shows as a replacement). */
    public synchronized String text() {
        int size = (int) Math.min(written, LIMIT);
        byte[] out = new byte[size];
        long start = written - size;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(int) ((start + i) % LIMIT)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
