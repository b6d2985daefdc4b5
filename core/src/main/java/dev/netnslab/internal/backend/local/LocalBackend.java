package dev.netnslab.internal.backend.local;

import dev.netnslab.ExecResult;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.exec.Kernel.NeighbourLimit;
import dev.netnslab.internal.netns.NamespaceThread;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This machine's kernel. Needs Linux, and root or passwordless {@code sudo}; with sudo every
 * command runs as {@code sudo -n ARGV...}.
 */
public final class LocalBackend implements Kernel {

    private final CommandRunner runner;
    private final String ip;

    private LocalBackend(CommandRunner runner, String ip) {
        this.runner = runner;
        this.ip = ip;
    }

    /** Backends that passed their checks, by {@code ip} program: the checks run once per JVM. */
    private static final Map<String, LocalBackend> PROBED = new ConcurrentHashMap<>();

    /**
     * Checks this machine and returns a backend for it. A backend that passed is kept for the JVM's
     * life, so the checks (and their {@code ip -V} process) are not paid again by every lab; a
     * failed check is not kept, so a fixed machine is seen at the next call.
     *
     * @param ip the {@code ip} program to use ({@code ip} to find it on the PATH)
     * @throws BackendUnavailableException naming what is missing and how to fix it
     */
    public static LocalBackend probe(String ip) {
        LocalBackend known = PROBED.get(ip);
        if (known != null) {
            return known;
        }
        LocalBackend checked = probe(Machine.current(), ip);
        LocalBackend raced = PROBED.putIfAbsent(ip, checked);
        return raced != null ? raced : checked;
    }

    /** Checks {@code machine}; tests describe machines where a check fails. */
    static LocalBackend probe(Machine machine, String ip) {
        if (!machine.isLinux()) {
            throw new BackendUnavailableException(
                    "The local backend needs a Linux kernel for network namespaces, but this is "
                            + machine.osName() + ". Run the tests on Linux, or point netnslab.backend at a Linux host "
                            + "(ssh) or a VM (multipass, qemu).");
        }
        List<String> prefix = List.of();
        if (!machine.isRoot()) {
            Optional<ExecResult> sudo = machine.run(List.of("sudo", "-n", "true"));
            if (sudo.isEmpty() || !sudo.get().isSuccess()) {
                throw new BackendUnavailableException(
                        "The local backend needs root to create network namespaces, but it runs as uid "
                                + machine.uid() + " and 'sudo -n true' failed"
                                + sudo.map(r -> ": " + r.stderr().strip()).orElse(" (sudo is not installed)")
                                + ". Run the tests as root, allow passwordless sudo for this user (a NOPASSWD rule in /etc/sudoers.d/), "
                                + "or set netnslab.backend to rootless (an unprivileged user namespace), ssh or multipass.");
            }
            prefix = List.of("sudo", "-n");
        }
        CommandRunner runner = new LocalRunner(prefix);
        Optional<ExecResult> version = machine.run(withPrefix(prefix, List.of(ip, "-V")));
        if (version.isEmpty() || !version.get().isSuccess()) {
            throw new BackendUnavailableException("The local backend needs iproute2's ip, but '" + ip
                    + " -V' "
                    + version.map(r -> "failed: " + r.stderr().strip()).orElse("could not be run")
                    + ". Install it (apt-get install -y iproute2) or set "
                    + dev.netnslab.internal.settings.Setting.LOCAL_IP + " to its path.");
        }
        return new LocalBackend(runner, ip);
    }

    private static List<String> withPrefix(List<String> prefix, List<String> argv) {
        List<String> all = new java.util.ArrayList<>(prefix);
        all.addAll(argv);
        return all;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public CommandRunner runner() {
        return runner;
    }

    @Override
    public String ip() {
        return ip;
    }

    /** Commands run as this process when it is root; with {@code sudo -n}, the JVM lacks their privileges. */
    @Override
    public boolean sharesThisJvm() {
        return runner instanceof LocalRunner local && local.runsAsThisProcess();
    }

    /** Its root namespace is this JVM's own: its tunnel devices listen on the tunnel port of this machine's loopback. */
    @Override
    public OptionalInt loopbackTunnelPort(int tunnelPort) {
        return OptionalInt.of(tunnelPort);
    }

    @Override
    public Optional<String> thisMachinesLoopback() {
        return Optional.of("127.0.0.1");
    }

    @Override
    public Optional<String> whyNoJava() {
        return Optional.ofNullable(NamespaceThread.whyNot());
    }

    /** Read in the JVM: the same file the kernel's commands would read, without a process. */
    @Override
    public int neighbourLimit() {
        return NeighbourLimit.parse(
                Machine.current().sysctl(NeighbourLimit.NAME).orElse(""));
    }

    @Override
    public String toString() {
        return "local backend (" + runner.describe() + ")";
    }
}
