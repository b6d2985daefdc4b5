package dev.netnslab.internal.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Callable;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;

/**
 * Socket factories whose sockets are created inside one namespace of a lab. A socket belongs to the
 * namespace of the thread that creates its file descriptor, so every method makes the descriptor on
 * the namespace's thread, connected or not; the socket may be used from any thread afterwards.
 */
public final class NamespaceSockets {

    private NamespaceSockets() {}

    /** Sockets made inside {@code ns}. */
    public static SocketFactory socketFactory(LabNamespace ns) {
        ns.thread(); // refuses here, with the reason, when this JVM cannot enter the namespace
        return new SocketFactory() {
            @Override
            public Socket createSocket() throws IOException {
                return inside(ns, () -> withDescriptor(new Socket()));
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return inside(ns, () -> new Socket(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
                return inside(ns, () -> new Socket(host, port, localHost, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return inside(ns, () -> new Socket(host, port));
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                    throws IOException {
                return inside(ns, () -> new Socket(address, port, localAddress, localPort));
            }

            @Override
            public String toString() {
                return "SocketFactory of namespace " + ns.name();
            }
        };
    }

    /** Server sockets made inside {@code ns}. */
    public static ServerSocketFactory serverSocketFactory(LabNamespace ns) {
        ns.thread();
        return new ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                return inside(ns, () -> {
                    ServerSocket server = new ServerSocket();
                    server.getSoTimeout(); // makes the descriptor now, on this thread
                    return server;
                });
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return inside(ns, () -> new ServerSocket(port));
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                return inside(ns, () -> new ServerSocket(port, backlog));
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
                return inside(ns, () -> new ServerSocket(port, backlog, bindAddress));
            }

            @Override
            public String toString() {
                return "ServerSocketFactory of namespace " + ns.name();
            }
        };
    }

    /**
     * An unconnected {@link Socket} creates its descriptor lazily, at the first option or at
     * connect; reading an option makes it now, on the namespace's thread.
     */
    private static Socket withDescriptor(Socket socket) throws IOException {
        socket.getSoTimeout();
        return socket;
    }

    private static <T> T inside(LabNamespace ns, Callable<T> task) throws IOException {
        try {
            return ns.thread().call(task);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Could not create a socket inside namespace " + ns.name() + ": " + e, e);
        }
    }
}
