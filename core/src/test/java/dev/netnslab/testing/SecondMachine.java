package dev.netnslab.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second "machine" on this one, for tests of labs that span kernels: a network namespace with its
 * own address on a veth to the root namespace ({@code 10.231.N.1/30} here, {@code 10.231.N.2/30}
 * there) and its own OpenSSH server listening on that address. SSH into it lands in that
 * namespace's network stack, so the labs built over it use {@code 10.231.N.2} as their underlay
 * address, as a separate machine would. It shares this machine's kernel and {@code /run/netns}, so
 * its lab namespaces show in {@code ip netns list} too. Closing it stops the sshd it started (by
 * pid), deletes its namespace (which removes the veth) and its folder. Needs root.
 */
public final class SecondMachine implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String namespace;
    private final String rootLink;
    private final String address;
    private final String machineAddress;
    private SshdServer sshd;

    private SecondMachine(String namespace, String rootLink, String address, String machineAddress) {
        this.namespace = namespace;
        this.rootLink = rootLink;
        this.address = address;
        this.machineAddress = machineAddress;
    }

    /** Whether this JVM can make one: root, with sshd and ssh-keygen installed. */
    public static boolean available() {
        return TestSshd.available() && "root".equals(System.getProperty("user.name"));
    }

    /** Makes the namespace and its veth, and starts its sshd; undoes what it did if a step fails. */
    public static SecondMachine start() {
        String id = Long.toString(Math.abs(RANDOM.nextLong()), 36).substring(0, 6);
        int subnet = freeSubnet();
        SecondMachine machine =
                new SecondMachine("second-" + id, "sm" + id, "10.231." + subnet + ".2", "10.231." + subnet + ".1");
        try {
            machine.create();
            return machine;
        } catch (RuntimeException e) {
            machine.close();
            throw new IllegalStateException("Could not make the second machine: " + e.getMessage(), e);
        }
    }

    private void create() {
        run("ip", "netns", "add", namespace);
        run("ip", "link", "add", rootLink, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        run("ip", "addr", "add", machineAddress + "/30", "dev", rootLink);
        run("ip", "link", "set", rootLink, "up");
        run("ip", "-n", namespace, "addr", "add", address + "/30", "dev", "eth0");
        run("ip", "-n", namespace, "link", "set", "eth0", "up");
        run("ip", "-n", namespace, "link", "set", "lo", "up");
        sshd = SshdServer.prepare("netnslab-second-machine", address, 22, false);
        sshd.start(List.of("ip", "netns", "exec", namespace));
    }

    /** The address of the machine on its veth, where its sshd listens: {@code 10.231.N.2}. */
    public String address() {
        return address;
    }

    /** This machine's address on the veth to it: {@code 10.231.N.1}. */
    public String peerAddress() {
        return machineAddress;
    }

    /** Its network namespace on this machine. */
    public String namespace() {
        return namespace;
    }

    /** The kernel URI of its sshd, as {@code Backend.open} and {@code netnslab.kernels.<name>} take it. */
    public String uri() {
        return "ssh://root@" + address + ":22?identity=" + sshd.dir().resolve("id_ed25519") + "&knownHosts="
                + sshd.dir().resolve("known_hosts");
    }

    /** The links in its namespace, by name: {@code lo} and {@code eth0} when no lab left anything there. */
    public List<String> links() {
        // Only standard output: ip warns on standard error about links whose peer namespace is going away.
        return linkNames(exec(false, "ip", "-n", namespace, "-o", "link", "show").output);
    }

    /** The pid of the sshd it started. */
    public long pid() {
        return sshd.process().pid();
    }

    static List<String> linkNames(String ipOutput) {
        List<String> names = new ArrayList<>();
        ipOutput.lines()
                .map(line -> line.split(": ", 3))
                .filter(parts -> parts.length > 1)
                .forEach(parts -> names.add(parts[1].split("@")[0]));
        return names;
    }

    @Override
    public void close() {
        if (sshd != null) {
            sshd.close();
        }
        // Deleting the namespace destroys eth0 there and its peer here.
        quietly("ip", "netns", "del", namespace);
        quietly("ip", "link", "del", rootLink);
    }

    /** A 10.231.N.0/30 no route of this machine uses yet. */
    private static int freeSubnet() {
        String routes = output("ip", "-o", "route", "show");
        for (int attempt = 0; attempt < 50; attempt++) {
            int n = 1 + RANDOM.nextInt(254);
            if (!routes.contains("10.231." + n + ".")) {
                return n;
            }
        }
        throw new IllegalStateException("found no free 10.231.N.0/30 for a second machine:\n" + routes);
    }

    private static void run(String... argv) {
        ProcessResult result = exec(argv);
        if (result.exit != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed (" + result.exit + "): " + result.output);
        }
    }

    private static void quietly(String... argv) {
        exec(argv);
    }

    private static String output(String... argv) {
        return exec(argv).output;
    }

    private record ProcessResult(int exit, String output) {}

    private static ProcessResult exec(String... argv) {
        return exec(true, argv);
    }

    private static ProcessResult exec(boolean withErrors, String... argv) {
        try {
            ProcessBuilder builder = new ProcessBuilder(argv);
            if (withErrors) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " did not end within 30 s");
            }
            return new ProcessResult(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
