package dev.netnslab.internal.engine;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.BridgePort;
import dev.netnslab.ExecResult;
import dev.netnslab.FdbEntry;
import dev.netnslab.InterfaceAddress;
import dev.netnslab.Neighbour;
import dev.netnslab.NetInterface;
import dev.netnslab.NetnsLabException;
import dev.netnslab.Qdisc;
import dev.netnslab.Route;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.iproute.BridgeJson;
import dev.netnslab.internal.iproute.IpJson;
import dev.netnslab.internal.iproute.TcJson;
import dev.netnslab.internal.netns.NamespaceThread;
import dev.netnslab.internal.topology.IpCidr;
import dev.netnslab.internal.topology.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One namespace of a running lab, as the engine sees it: run commands in it, read its state, start
 * captures and threads there. {@code dev.netnslab.Namespace} is the user's handle on one; probes and
 * diagnostics work on this class directly.
 */
public final class LabNamespace {

    private static final Pattern SYSCTL_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_./-]*");

    private final LabEngine lab;
    private final String name;
    private final String systemName;

    LabNamespace(LabEngine lab, String name, String systemName) {
        this.lab = lab;
        this.name = name;
        this.systemName = systemName;
    }

    /** The logical name from the spec; {@code host} for the host side. */
    public String name() {
        return name;
    }

    /** The name in {@code ip netns list}: the logical name and the lab's id. */
    public String systemName() {
        return systemName;
    }

    public LabEngine lab() {
        return lab;
    }

    /**
     * The first address the spec gives this namespace, IPv4 before IPv6, bare.
     *
     * @throws IllegalStateException when the spec gives it none
     */
    public String address() {
        IpCidr primary = lab.topology().primaryAddress(name);
        if (primary == null) {
            throw new IllegalStateException(
                    "Namespace " + name + " has no address in lab " + lab.id() + "; give it one in the LabSpec");
        }
        return primary.address().toString();
    }

    /** Runs {@code argv} here with the lab's command timeout. */
    public ExecResult exec(String... argv) {
        return exec(lab.commandTimeout(), argv);
    }

    /** Runs {@code argv} here with {@code timeout}. */
    public ExecResult exec(Duration timeout, String... argv) {
        return exec(checked(argv), null, timeout);
    }

    /** Runs {@code argv} here, with {@code stdin} (or none) and {@code timeout}. */
    public ExecResult exec(List<String> argv, String stdin, Duration timeout) {
        return lab.runInNamespace(systemName, argv, stdin, timeout);
    }

    /** Starts {@code argv} here in the background; the lab stops it when it closes. */
    public BackgroundProcess spawn(List<String> argv) {
        List<String> checked = Command.checkArgv(argv);
        return new SpawnedProcess(this, checked, lab.spawnInNamespace(systemName, checked));
    }

    /** The argv as a list, refused when empty or holding a NUL byte. */
    public static List<String> checked(String... argv) {
        if (argv == null) {
            throw new IllegalArgumentException(
                    "argv must name at least the program to run but was null; pass e.g. exec(\"ip\", \"addr\")");
        }
        return Command.checkArgv(Arrays.asList(argv));
    }

    /**
     * Starts a packet capture on {@code iface}.
     *
     * @throws NetnsLabException when tcpdump cannot run or the interface does not exist
     */
    public PacketCapture capture(String iface) {
        if (!"any".equals(iface) && !"lo".equals(iface)) {
            // The naming rule keeps option-like or shell-hostile names away from tcpdump's argv.
            Names.checkInterface("iface", iface);
        }
        return lab.register(PacketCapture.start(this, iface, lab.nextCaptureFile(name, iface)));
    }

    /** {@code ip -s -json link show}. */
    public List<NetInterface> interfaces() {
        return IpJson.links(readIp("-s", "-json", "link", "show"));
    }

    /** {@code ip -json addr show}. */
    public List<InterfaceAddress> addresses() {
        return IpJson.addresses(readIp("-json", "addr", "show"));
    }

    /** The routes of the main table. */
    public List<Route> routes() {
        return routes("main");
    }

    /** The routes of {@code table} ({@code main}, {@code local}, a number, or {@code all}). */
    public List<Route> routes(String table) {
        List<Route> all = IpJson.routes(readIp("-json", "route", "show", "table", "all"));
        return "all".equals(table)
                ? all
                : all.stream().filter(r -> r.table().equals(table)).toList();
    }

    /** {@code ip -json neigh show}. */
    public List<Neighbour> neighbours() {
        return IpJson.neighbours(readIp("-json", "neigh", "show"));
    }

    /** {@code bridge -json fdb show}. */
    public List<FdbEntry> fdb() {
        return BridgeJson.fdb(readTool("bridge", "-json", "fdb", "show"));
    }

    /** {@code bridge -json -d link show}. */
    public List<BridgePort> bridgePorts() {
        return BridgeJson.ports(readTool("bridge", "-json", "-d", "link", "show"));
    }

    /** {@code tc -json qdisc show}. */
    public List<Qdisc> qdiscs() {
        return TcJson.qdiscs(readTool("tc", "-json", "qdisc", "show"));
    }

    /**
     * A sysctl as this namespace sees it.
     *
     * @throws IllegalArgumentException for a key with other characters than letters, digits, {@code _ . / -}
     */
    public String sysctl(String key) {
        if (key == null || !SYSCTL_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(
                    "A sysctl key starts with a letter and holds only letters, digits, '_', '-', '.' "
                            + "and '/', such as net.ipv4.ip_forward, but was "
                            + (key == null ? "null" : "'" + key + "'"));
        }
        return readTool("sysctl", "-n", key).strip();
    }

    private String readIp(String... args) {
        List<String> argv = new ArrayList<>(List.of("-n", systemName));
        argv.addAll(Arrays.asList(args));
        return readable(lab.runIp(argv, null), "ip");
    }

    private String readTool(String... argv) {
        return readable(exec(argv), argv[0]);
    }

    private String readable(ExecResult result, String tool) {
        if (!result.isSuccess()) {
            throw new NetnsLabException("Could not read the state of namespace " + name + " (" + systemName + ") with "
                    + tool + (lab.isClosed() ? ": its lab " + lab.id() + " is closed" : "") + "\n" + result.describe());
        }
        return result.stdout();
    }

    /**
     * This JVM's thread inside the namespace, for {@code Namespace.call} and {@code executor}.
     *
     * @throws UnsupportedOperationException when the lab's kernel is not this JVM's, or this JVM may not enter it
     */
    public NamespaceThread thread() {
        return lab.threads().of(this);
    }

    /** Whether {@link #thread()} would succeed: the lab is open and this JVM may enter its namespaces. */
    public boolean canCall() {
        return lab.threads().canEnter();
    }

    /** The thread that checks may probe from inside this JVM, or empty when they must run as processes. */
    public Optional<NamespaceThread> checkThread() {
        return lab.threads().forChecks(this);
    }

    @Override
    public String toString() {
        return name + " (" + systemName + ")";
    }
}
