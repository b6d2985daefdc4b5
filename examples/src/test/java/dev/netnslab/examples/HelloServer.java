package dev.netnslab.examples;

import com.sun.net.httpserver.HttpServer;
import dev.netnslab.Namespace;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The JDK's HTTP server, made and bound inside a namespace, answering {@code GET /hello} with
 * {@code hello <the caller's address>}: the server the examples' Java clients call.
 */
final class HelloServer {

    private HelloServer() {}

    /**
     * Starts the server in {@code ns} on {@code ip:port}; its handler threads are the namespace's
     * too. Stop it with {@code stop(0)}.
     */
    static HttpServer startIn(Namespace ns, String ip, int port) throws Exception {
        // HttpServer opens its own channel, so it takes no ServerSocketFactory: it is bound inside call.
        return ns.call(() -> {
            HttpServer http = HttpServer.create(new InetSocketAddress(ip, port), 0);
            http.createContext("/hello", exchange -> {
                byte[] body = ("hello "
                                + exchange.getRemoteAddress().getAddress().getHostAddress())
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.setExecutor(ns.executor());
            http.start();
            return http;
        });
    }
}
