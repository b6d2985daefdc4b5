package dev.netnslab.internal.backend.rootless;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.backend.local.Machine;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.exec.Kernel.NeighbourLimit;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * This machine's kernel without root: every lab lives inside one unprivileged user namespace, in
 * which root is the calling user. Needs Linux with unprivileged user namespaces (on by default in
 * Debian, Ubuntu and Fedora), {@code unshare} and {@code nsenter} (util-linux), {@code bash} and
 * iproute2.
 *
 * <h2>One namespace per JVM</h2>
 * The first rootless backend of a JVM starts the namespace; every later one, and so every lab of the
 * test run, shares it. Closing a backend leaves it standing; it ends when the JVM exits, and also
 * when the JVM is killed, since its first process is tied to the JVM by a pipe. Everything inside
 * (namespaces, their names, processes) ends with it, so a crashed run leaves nothing behind and this
 * backend needs neither ownership records nor a watchdog.
 *
 * <h2>What does not work</h2>
 * Packet captures need tcpdump to set its groups, which the kernel allows inside only when the
 * namespace maps subordinate ids ({@code newuidmap} and a range in {@code /etc/subuid}); without
 * them a capture fails saying so. Code that must run inside a namespace in this JVM's own threads
 * cannot: a multithreaded process cannot join a user namespace.
 */
public final class RootlessBackend implements Kernel {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    /** The JVM's one namespace; replaced only if it has died. */
    private static UserNamespaceRunner shared;

    private static boolean hookAdded;
    /** The {@code ip} programs already checked in the current namespace. */
    private static final java.util.Set<String> CHECKED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final UserNamespaceRunner runner;
    private final String ip;

    private RootlessBackend(UserNamespaceRunner runner, String ip) {
        this.runner = runner;
        this.ip = ip;
    }

    /**
     * Returns a backend on this JVM's user namespace, starting it on first use.
     *
     * @throws BackendUnavailableException when this machine cannot give an ordinary user a user
     *                                     namespace, saying why and how to allow it
     */
    public static RootlessBackend start(Settings settings) {
        String os = System.getProperty("os.name", "unknown");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            throw new BackendUnavailableException(
                    "The rootless backend needs a Linux kernel with user namespaces, but this is " + os
                            + ". Run the tests on Linux, or set " + Setting.BACKEND + " to ssh or multipass.");
        }
        String ip = settings.get(Setting.LOCAL_IP);
        UserNamespaceRunner runner = namespace();
        if (!CHECKED.contains(ip)) {
            String failure;
            try {
                ExecResult version = runner.run(Command.of(Duration.ofSeconds(10), List.of(ip, "-V")));
                failure = version.isSuccess()
                        ? null
                        : "failed: " + version.stderr().strip();
            } catch (NetnsLabException e) {
                failure = "could not be run: " + e.getMessage();
            }
            if (failure != null) {
                throw new BackendUnavailableException("The rootless backend needs iproute2's ip, but '" + ip + " -V' "
                        + failure + ". Install it (apt-get install -y iproute2) or set " + Setting.LOCAL_IP
                        + " to its path.");
            }
            CHECKED.add(ip);
        }
        return new RootlessBackend(runner, ip);
    }

    private static synchronized UserNamespaceRunner namespace() {
        if (shared != null && shared.isAlive()) {
            return shared;
        }
        if (shared != null) {
            System.getLogger("dev.netnslab.backend")
                    .log(
                            System.Logger.Level.WARNING,
                            "netns-lab: the user namespace of " + "the rootless backend (pid " + shared.pid()
                                    + ") has ended, and its labs with it; starting a new one");
            CHECKED.clear();
        }
        try {
            shared = UserNamespaceRunner.start(System.getProperty("user.name"), START_TIMEOUT);
        } catch (NetnsLabException e) {
            BackendUnavailableException unavailable = new BackendUnavailableException("The rootless backend needs an "
                    + "unprivileged user namespace, and this machine would not give one: " + e.getMessage() + ". "
                    + UserNamespaceSupport.ofThisMachine().howToEnable());
            unavailable.initCause(e);
            throw unavailable;
        }
        if (!hookAdded) {
            // The tether would end it anyway when the JVM exits; closing it here waits until it has.
            Runtime.getRuntime().addShutdownHook(new Thread(RootlessBackend::closeShared, "netnslab-userns-close"));
            hookAdded = true;
        }
        return shared;
    }

    private static synchronized void closeShared() {
        if (shared != null) {
            shared.close();
        }
    }

    @Override
    public String name() {
        return "rootless";
    }

    @Override
    public CommandRunner runner() {
        return runner;
    }

    @Override
    public String ip() {
        return ip;
    }

    /** Everything inside the user namespace ends with it, and it ends with this JVM, whatever kills it. */
    @Override
    public boolean needsOwnershipRecords() {
        return false;
    }

    /**
     * Its commands run in a network namespace of its own, and only the machine's first one shows this
     * machine-wide limit; the JVM runs on the same kernel and reads it where it is.
     */
    @Override
    public int neighbourLimit() {
        return NeighbourLimit.parse(
                Machine.current().sysctl(NeighbourLimit.NAME).orElse(""));
    }

    @Override
    public Optional<String> whyNoCaptures() {
        return runner.whyNoSetgroups()
                .map(why -> "Packet captures on the rootless backend need tcpdump to set its groups, "
                        + "which the kernel allows in a user namespace only when it maps more ids than root, and here "
                        + why
                        + ". Install the uidmap package and give the user a range: usermod --add-subuids 100000-165535 "
                        + "--add-subgids 100000-165535 " + System.getProperty("user.name")
                        + " (as root), then start the tests again.");
    }

    @Override
    public Optional<String> whyNoJava() {
        return Optional.of(
                "the lab runs on the rootless backend: its namespaces belong to an unprivileged user namespace,"
                        + " which a multithreaded process such as this JVM cannot join (setns refuses it)");
    }

    /** PID 1 of the user namespace, as this JVM sees it: when it is gone, so is everything inside. */
    public long pid() {
        return runner.pid();
    }

    /** The command that enters the namespace as its root, for a person at a terminal. */
    @Override
    public List<String> enterPrefix() {
        return runner.enter();
    }

    /** Leaves the JVM's namespace standing: other labs share it, and it ends with the JVM. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "rootless backend (" + runner.describe() + ")";
    }
}
