package dev.netnslab.testing;

import dev.netnslab.Namespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A client of an echo server in a lab, for the TCP fault tests: its socket is made inside a namespace. */
public final class EchoClient {

    private EchoClient() {}

    /** Connects from {@code ns} to {@code ip:port} within 1 s; reads on the socket time out after 1 s. */
    public static Socket connect(Namespace ns, String ip, int port) throws Exception {
        return ns.call(() -> {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(ip, port), 1000);
            socket.setSoTimeout(1000);
            return socket;
        });
    }

    /** Sends {@code bytes} zero bytes and reads as many back. */
    public static void roundTrip(Socket socket, int bytes) throws IOException {
        socket.getOutputStream().write(new byte[bytes]);
        socket.getInputStream().readNBytes(bytes);
    }
}
