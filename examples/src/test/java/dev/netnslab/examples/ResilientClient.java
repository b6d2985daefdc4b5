package dev.netnslab.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

/**
 * The client under test in {@link TcpFaultsTest}: it sends a payload to an echo server in chunks
 * and reads each chunk back, with a connect and a read timeout; when a connection fails it opens a
 * new one and resumes from the first chunk not yet echoed, up to {@code retries} times in a row.
 * The kind of client a test with Toxiproxy checks; here the faults are in the kernel.
 */
final class ResilientClient {

    private final InetSocketAddress server;
    private final Duration timeout;
    private final int retries;
    private int reconnects;

    ResilientClient(String ip, int port, Duration timeout, int retries) {
        this.server = new InetSocketAddress(ip, port);
        this.timeout = timeout;
        this.retries = retries;
    }

    /** How many times the last {@link #echo} opened a new connection after a failure. */
    int reconnects() {
        return reconnects;
    }

    /**
     * Sends {@code payload} in chunks of {@code chunk} bytes and returns what came back.
     *
     * @throws IOException the last failure, once {@code retries} reconnects in a row made no progress
     */
    byte[] echo(byte[] payload, int chunk) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        reconnects = 0;
        int failuresInARow = 0;
        while (received.size() < payload.length) {
            try (Socket socket = new Socket()) {
                socket.connect(server, (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                while (received.size() < payload.length) {
                    int from = received.size();
                    byte[] piece = Arrays.copyOfRange(payload, from, Math.min(payload.length, from + chunk));
                    socket.getOutputStream().write(piece);
                    byte[] back = socket.getInputStream().readNBytes(piece.length);
                    if (back.length < piece.length) {
                        throw new IOException("the server closed the connection");
                    }
                    received.write(back);
                    failuresInARow = 0;
                }
            } catch (IOException e) {
                if (++failuresInARow > retries) {
                    throw e;
                }
                reconnects++;
            }
        }
        return received.toByteArray();
    }
}
