package dev.netnslab;

import dev.netnslab.internal.engine.LabNamespace;
import dev.netnslab.internal.engine.NamespaceSockets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;

/**
 * A handle on one namespace of a running {@link Lab}: run commands in it and read its state.
 *
 * <pre>{@code
 * ExecResult routes = ns.exec("ip", "route");
 * List<InterfaceAddress> addresses = ns.addresses();
 * }</pre>
 *
 * Commands are argv lists, never shell strings: {@code ns.exec("echo", "$(id -u)")} prints
 * {@code $(id -u)} literally. To use shell features on purpose, say so:
 * {@code ns.exec("sh", "-c", "...")}.
 */
public final class Namespace {

    private final Lab lab;
    private final LabNamespace engine;
    private final String kernel;

    Namespace(Lab lab, LabNamespace engine, String kernel) {
        this.kernel = kernel;
        this.lab = lab;
        this.engine = engine;
    }

    /** The logical name from the spec, e.g. {@code netns1}; {@code host} for {@link Lab#host()}. */
    public String name() {
        return engine.name();
    }

    /**
     * The kernel this namespace runs on: the name a spec's
     * {@link LabSpec.Builder#on(String, String...) on(...)} gave it, or {@code default} for the lab's
     * default kernel (every namespace of a lab on one kernel, and {@code host}).
     */
    public String kernel() {
        return kernel;
    }

    /** The name in {@code ip netns list}, e.g. {@code netns1-nl4k2x9q}; use it with {@code ip netns exec} by hand. */
    public String systemName() {
        return engine.systemName();
    }

    /**
     * The path of this namespace's file, for tools that take a namespace by path (a CNI plugin's
     * {@code CNI_NETNS}, {@code nsenter --net=}): {@code /run/netns/<system name>}.
     *
     * <p>The path is on the machine where the lab's backend runs commands, and is meant for programs
     * run through this lab ({@link #exec(ExecSpec)}). With the local backend that is this machine;
     * with {@code ssh} and the VM backends it is a path on the remote host, not on the machine that
     * runs the tests; with {@code rootless} it exists only inside that backend's own mount namespace.
     */
    public String path() {
        return "/run/netns/" + systemName();
    }

    /** The lab this namespace belongs to. */
    public Lab lab() {
        return lab;
    }

    /**
     * The namespace's primary IPv4 address in the lab, bare, without prefix: the first IPv4 address the
     * spec gives it ({@code 10.200.1.1} for {@code netns1} of the single-namespace lab, {@code 10.200.1.254} for its host).
     * A namespace with only IPv6 addresses answers its first IPv6 address.
     *
     * @throws IllegalStateException when the spec gives this namespace no address
     */
    public String address() {
        return engine.address();
    }

    /**
     * Runs {@code argv} inside this namespace with the default command timeout
     * ({@code netnslab.command.timeout}, 30 s) and returns its result. A non-zero exit is returned,
     * not thrown.
     *
     * @throws IllegalArgumentException when argv is empty or an argument holds a NUL byte
     * @throws dev.netnslab.CommandTimeoutException when it outlives the timeout
     */
    public ExecResult exec(String... argv) {
        return engine.exec(argv);
    }

    /** Like {@link #exec(String...)} with an explicit time limit. */
    public ExecResult exec(Duration timeout, String... argv) {
        return engine.exec(timeout, argv);
    }

    /**
     * Runs a command inside this namespace with extra environment variables, text on standard input,
     * a working directory and its own time limit: the way a container runtime runs a CNI plugin.
     * Still an argv, never a shell. A non-zero exit is returned, not thrown.
     *
     * <pre>{@code
     * ExecResult added = node.exec(ExecSpec.of("/usr/lib/cni/bridge")
     *         .withEnv("CNI_COMMAND", "ADD").withEnv("CNI_NETNS", pod.path())
     *         .withStdin(config));
     * }</pre>
     *
     * @throws dev.netnslab.CommandTimeoutException when it outlives its limit ({@code netnslab.command.timeout}
     *                                              unless the spec gives one)
     */
    public ExecResult exec(ExecSpec spec) {
        return engine.exec(
                spec.commandLine(),
                spec.stdin().orElse(null),
                spec.timeout().orElse(engine.lab().commandTimeout()));
    }

    /**
     * Starts {@code argv} inside this namespace in the background, e.g. a server for
     * {@code canConnect}. It is stopped when the returned handle is closed, or with the lab. It
     * returns as soon as the process started: wait for it with
     * {@link BackgroundProcess#awaitListening(int)} or {@link BackgroundProcess#awaitOutput(String)},
     * which fail with its exit code and last output lines when it exits first.
     *
     * <pre>{@code
     * try (BackgroundProcess server = srv.spawn("socat", "TCP-LISTEN:7001,fork", "EXEC:cat")) {
     *     server.awaitListening(7001);
     *     assertThat(cli).canConnect(srv.address(), 7001);
     * }
     * }</pre>
     */
    public BackgroundProcess spawn(String... argv) {
        return engine.spawn(LabNamespace.checked(argv));
    }

    /**
     * Starts capturing packets on {@code iface} with {@code tcpdump}, into a pcap file under
     * {@code netnslab.outputDir} (default {@code target/netnslab}):
     * {@code captures/<lab id>-<namespace>-<iface>-<n>.pcap}. The capture stops when the returned
     * handle or the lab is closed; the file stays. A failed test lists it in its report.
     *
     * <pre>{@code
     * try (Capture capture = ns.capture("veth2")) {
     *     assertThat(ns).canPing(lab.host().address());
     * }
     * assertThat(capture.packetCount()).isPositive();
     * }</pre>
     *
     * @param iface an interface of this namespace ({@code lo} included), or {@code any}
     * @throws NetnsLabException when tcpdump is not installed or the interface does not exist
     */
    public Capture capture(String iface) {
        return lab.register(new Capture(this, engine.capture(iface)));
    }

    /** The interfaces in this namespace, with counters ({@code ip -s -json link show}). */
    public List<NetInterface> interfaces() {
        return engine.interfaces();
    }

    /** Every address in this namespace, IPv4 and IPv6 ({@code ip -json addr show}). */
    public List<InterfaceAddress> addresses() {
        return engine.addresses();
    }

    /**
     * The routes of the main table, IPv4 and IPv6, with gateway, device, scope, source, metric and
     * flags ({@code ip -json route show table all}, main table only).
     */
    public List<Route> routes() {
        return routes("main");
    }

    /**
     * The routes of one table, IPv4 and IPv6: {@code main}, {@code local}, a number such as
     * {@code 100}, or {@code all} for every table.
     */
    public List<Route> routes(String table) {
        return engine.routes(table);
    }

    /** The neighbour (ARP) table ({@code ip -json neigh show}): who this namespace has resolved, or failed to. */
    public List<Neighbour> neighbours() {
        return engine.neighbours();
    }

    /** The forwarding databases of the bridges and VXLAN devices here ({@code bridge -json fdb show}). */
    public List<FdbEntry> fdb() {
        return engine.fdb();
    }

    /** The bridge ports here, with their flags ({@code bridge -json -d link show}). */
    public List<BridgePort> bridgePorts() {
        return engine.bridgePorts();
    }

    /** The queueing disciplines of every interface here ({@code tc -json qdisc show}). */
    public List<Qdisc> qdiscs() {
        return engine.qdiscs();
    }

    /**
     * The value of a sysctl as this namespace sees it: {@code sysctl("net.ipv4.ip_forward")} is
     * {@code "1"} on a node that forwards. Keys under {@code net.} belong to the namespace; the others
     * are the machine's.
     *
     * @param key a key with dots or slashes, such as {@code net.ipv4.conf.eth0.rp_filter}
     * @throws IllegalArgumentException when the key holds anything but letters, digits, {@code _ . / -}
     * @throws NetnsLabException when there is no such key
     */
    public String sysctl(String key) {
        return engine.sysctl(key);
    }

    /**
     * Runs {@code task} in this JVM, on a platform thread that has entered this namespace, and
     * returns its result. Sockets the task opens belong to the namespace and keep working from
     * any thread afterwards, so a server can be bound here and a client made in another namespace:
     *
     * <pre>{@code
     * ServerSocket server = ns.call(() -> new ServerSocket(8080, 50, InetAddress.getByName("10.200.1.1")));
     * Socket client = lab.host().call(() -> new Socket("10.200.1.1", 8080));
     * }</pre>
     *
     * <p>Each namespace has one dedicated thread for {@code call}, owned by the lab and ended when
     * it closes; calls run one after another on it, and a call made from inside the namespace runs
     * at once. It is a platform thread, never a virtual one: the kernel ties a namespace to an OS
     * thread, and a virtual thread moves between carrier threads. Threads and processes started
     * from the task inherit the namespace. Code that does network I/O later, on its own threads
     * ({@code HttpClient.send}, a connection pool), must do it inside {@code call} or on
     * {@link #executor()}: a socket opened on any other thread is in the JVM's own namespace.
     *
     * @return what {@code task} returned
     * @throws Exception whatever {@code task} threw, unchanged, as {@link Callable#call()} declares it
     * @throws UnsupportedOperationException when the lab is not on the local backend (the JVM is not
     *         on the lab's kernel) or the JVM does not run as root; the message says which
     */
    public <T> T call(Callable<T> task) throws Exception {
        java.util.Objects.requireNonNull(task, "task");
        return thread().call(task);
    }

    /**
     * An {@link Executor} whose tasks run on platform threads inside this namespace, for code that
     * takes an executor: {@code HttpServer.setExecutor}, {@code CompletableFuture.supplyAsync},
     * {@code HttpClient.Builder.executor}. Threads are added when all are busy, so a task may block;
     * they end with the lab. The same conditions as {@link #call(Callable)} apply.
     *
     * @throws UnsupportedOperationException when the lab is not on the local backend or the JVM is not root
     */
    public Executor executor() {
        return thread().executor();
    }

    /** This namespace's thread for Java code; in a lab over several kernels, a refusal names the kernel. */
    private dev.netnslab.internal.netns.NamespaceThread thread() {
        try {
            return engine.thread();
        } catch (UnsupportedOperationException e) {
            if (kernel.equals("default")) {
                throw e;
            }
            UnsupportedOperationException named = new UnsupportedOperationException(
                    "Namespace " + name() + " runs on kernel '" + kernel + "', not on this JVM's: " + e.getMessage(),
                    e);
            throw named;
        }
    }

    /**
     * Runs {@code task} in the background inside this namespace, as {@link #call(Callable)} does in
     * the foreground: for code that runs while the test changes the network under it (a client with
     * retries while a link flaps). The task runs on one of the threads of {@link #executor()}, so
     * several may run at once and may block.
     *
     * <pre>{@code
     * CompletableFuture<Integer> status = ns.callAsync(() -> client.fetchWithRetries());
     * lab.link("netns1", "veth2").down();
     * ...
     * assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
     * }</pre>
     *
     * @return a future completed with what {@code task} returned, or exceptionally with what it threw
     *     (checked exceptions included, unchanged)
     * @throws UnsupportedOperationException at once, when this JVM cannot enter the namespace (see
     *     {@link #canCall()}); the message says why
     */
    public <T> CompletableFuture<T> callAsync(Callable<T> task) {
        java.util.Objects.requireNonNull(task, "task");
        Executor inside = executor();
        CompletableFuture<T> result = new CompletableFuture<>();
        inside.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Whether Java code of this JVM can enter this namespace, that is whether {@link #call},
     * {@link #callAsync}, {@link #executor()} and the socket factories work here: the lab is open,
     * on this JVM's kernel (the local backend), and the JVM runs as root. For
     * {@code assumeTrue(ns.canCall())} in tests that must also run on other backends.
     */
    public boolean canCall() {
        return engine.canCall();
    }

    /**
     * A standard {@link SocketFactory} whose sockets are created inside this namespace, connected or
     * not, so they stay in it whichever thread uses them afterwards. Give it to clients that take
     * one (OkHttp's {@code socketFactory}, JDBC drivers, Apache HttpClient) to make them
     * namespace-bound by construction.
     *
     * @throws UnsupportedOperationException when this JVM cannot enter the namespace (see {@link #canCall()})
     */
    public SocketFactory socketFactory() {
        return NamespaceSockets.socketFactory(engine);
    }

    /**
     * A standard {@link ServerSocketFactory} whose server sockets are created inside this namespace,
     * bound or not; they accept from any thread afterwards.
     *
     * @throws UnsupportedOperationException when this JVM cannot enter the namespace (see {@link #canCall()})
     */
    public ServerSocketFactory serverSocketFactory() {
        return NamespaceSockets.serverSocketFactory(engine);
    }

    LabNamespace engine() {
        return engine;
    }

    @Override
    public String toString() {
        return engine.toString();
    }
}
