package dev.netnslab.examples;

import dev.netnslab.Namespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A tiny replicated service for {@link PartitionTest}: a leader lease over TCP. Each node grants a
 * lease of {@value #LEASE_MILLIS} ms to one node at a time; a node is leader while a majority of
 * the nodes (itself included) granted it its lease within that time. A node whose own grant is free
 * votes for itself and asks the others; without a majority it gives its vote back and tries again
 * after a random pause, so two rivals cannot split the votes for ever. When the leader's grants
 * run out, another node takes over.
 *
 * <p>It runs entirely inside its namespace: the server socket is bound with {@link Namespace#call}
 * and both loops run on {@link Namespace#executor()}, so every socket the node opens is in its namespace.
 */
final class LeaseNode implements AutoCloseable {

    static final int PORT = 7400;
    static final long LEASE_MILLIS = 400;
    private static final int CONNECT_MILLIS = 50;

    private final String id;
    private final List<String> peers;
    private final ServerSocket server;
    private volatile boolean running = true;
    private final CountDownLatch served = new CountDownLatch(1);
    // The lease this node granted: to whom, until when (System.nanoTime based).
    private String grantedTo;
    private long grantedUntil;
    private volatile long leaderUntil;

    private LeaseNode(String id, List<String> peers, ServerSocket server) {
        this.id = id;
        this.peers = peers;
        this.server = server;
    }

    /** Starts a node with address {@code id} in {@code ns}; {@code peers} are the other nodes' addresses. */
    static LeaseNode start(Namespace ns, String id, List<String> peers) throws Exception {
        ServerSocket server = ns.call(() -> new ServerSocket(PORT, 50, InetAddress.getByName(id)));
        LeaseNode node = new LeaseNode(id, peers, server);
        ns.executor().execute(node::serve);
        ns.executor().execute(node::campaign);
        return node;
    }

    String id() {
        return id;
    }

    /** Whether this node holds the lease of a majority right now. */
    boolean isLeader() {
        return System.nanoTime() < leaderUntil;
    }

    /** Whom this node's own grant currently goes to, or {@code null} when it has lapsed. */
    synchronized String grantedTo() {
        return System.nanoTime() < grantedUntil ? grantedTo : null;
    }

    /** Grants the lease to {@code candidate} if it is free or already theirs. */
    private synchronized boolean grant(String candidate, long now) {
        if (now < grantedUntil && !candidate.equals(grantedTo)) {
            return false;
        }
        grantedTo = candidate;
        grantedUntil = now + LEASE_MILLIS * 1_000_000;
        return true;
    }

    private void serve() {
        try {
            serveUntilClosed();
        } finally {
            served.countDown();
        }
    }

    private void serveUntilClosed() {
        while (running) {
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(200);
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(peer.getOutputStream(), true, StandardCharsets.UTF_8);
                String line = in.readLine();
                if (line != null && line.startsWith("LEASE ")) {
                    out.println(grant(line.substring(6), System.nanoTime()) ? "OK" : "NO");
                }
            } catch (IOException e) {
                // A peer that went away mid-request, or the server closing: the next round asks again.
            }
        }
    }

    private void campaign() {
        while (running) {
            long start = System.nanoTime();
            // A node that granted its lease to another stays out; otherwise it votes for itself first.
            if (grant(id, start)) {
                int grants = 1;
                for (String peer : peers) {
                    if (ask(peer)) {
                        grants++;
                    }
                }
                if (grants * 2 > peers.size() + 1) {
                    // Counted from the round's start, so leadership never outlives the grants behind it.
                    leaderUntil = start + (LEASE_MILLIS - 100) * 1_000_000;
                } else {
                    // No majority: give our own vote back, so that a rival can win after its random pause.
                    release();
                }
            }
            pause(50 + ThreadLocalRandom.current().nextInt(150));
        }
    }

    private synchronized void release() {
        if (id.equals(grantedTo)) {
            grantedUntil = 0;
        }
    }

    private boolean ask(String peer) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(peer, PORT), CONNECT_MILLIS);
            socket.setSoTimeout(100);
            new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8).println("LEASE " + id);
            return "OK"
                    .equals(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                            .readLine());
        } catch (IOException e) {
            return false;
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        // A socket closed while a thread is blocked in accept is released when that thread leaves it:
        // wait, so that the next node can bind the same address and port at once.
        try {
            served.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return id + (isLeader() ? " (leader)" : "");
    }
}
