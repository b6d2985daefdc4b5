package dev.netnslab.internal.backend;

import dev.netnslab.NetnsLabException;
import dev.netnslab.backend.Backend;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.backend.HostKeyException;
import dev.netnslab.internal.backend.local.LocalBackend;
import dev.netnslab.internal.backend.local.Machine;
import dev.netnslab.internal.backend.rootless.RootlessBackend;
import dev.netnslab.internal.backend.ssh.SshBackend;
import dev.netnslab.internal.backend.ssh.SshTarget;
import dev.netnslab.internal.backend.vm.MultipassBackend;
import dev.netnslab.internal.backend.vm.QemuBackend;
import dev.netnslab.internal.backend.vm.QemuVms;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Picks the backend that {@code netnslab.backend} names:
 * <ul>
 *   <li>{@code local}: this machine (root or passwordless sudo);</li>
 *   <li>{@code rootless}: this machine as an ordinary user, inside an unprivileged user namespace;</li>
 *   <li>{@code ssh}: the host {@code netnslab.ssh.host} names;</li>
 *   <li>{@code multipass}: a Multipass VM, launched from {@code cloud-init.yaml} if absent, then SSH;</li>
 *   <li>{@code qemu}: a qemu VM booted from {@code netnslab.qemu.image} and {@code cloud-init.yaml}, then SSH;</li>
 *   <li>{@code auto} (the default): the first of local, ssh (when {@code netnslab.ssh.host} is set),
 *       rootless and multipass (when {@code multipass} is on the PATH) that works. It logs which one
 *       it chose and why, and when none fits, fails naming each one tried and why it was rejected.</li>
 * </ul>
 * The returned backend holds its connection or VM until closed; create it once per test run.
 */
public final class Backends {

    private static final Logger LOG = System.getLogger("dev.netnslab.backend");
    /** Choices already logged, so that a run that selects more than once says it once. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    /** The values {@code netnslab.backend} accepts. */
    private Backends() {}

    /**
     * Creates the backend the settings ask for.
     *
     * @throws BackendUnavailableException when it cannot be used, saying why and what to do
     * @throws HostKeyException            when an SSH host's key is not trusted (never skipped, never passed over)
     * @throws NetnsLabException           when the named backend fails in another way (unreachable, no sudo)
     * @throws IllegalArgumentException    when {@code netnslab.backend} holds an unknown value
     */
    public static Kernel select(Settings settings) {
        return Kernel.of(selectBackend(settings));
    }

    private static Backend selectBackend(Settings settings) {
        String kind = settings.get(Setting.BACKEND);
        switch (kind) {
            case "auto":
                return auto(
                        settings,
                        () -> LocalBackend.probe(settings.get(Setting.LOCAL_IP)),
                        () -> RootlessBackend.start(settings));
            case "local":
                return LocalBackend.probe(settings.get(Setting.LOCAL_IP));
            case "rootless":
                return RootlessBackend.start(settings);
            case "ssh":
                return SshBackend.connect(settings);
            case "multipass":
                return MultipassBackend.start(settings);
            case "qemu":
                return QemuBackend.start(settings);
            default:
                throw new IllegalStateException(
                        "unhandled " + Setting.BACKEND + "=" + kind + ": Setting.BACKEND allows it, select() does not");
        }
    }

    /**
     * Opens the kernel {@code uri} names (see {@link KernelUri}): {@code local}, {@code rootless},
     * {@code qemu}, {@code multipass}, or {@code ssh://user@host:port?identity=PATH&knownHosts=PATH},
     * whose missing parts come from the {@code netnslab.ssh.*} settings. Host keys are verified.
     *
     * @throws IllegalArgumentException    when {@code uri} is none of these, saying which forms are allowed
     * @throws BackendUnavailableException when the kernel cannot be used, saying why
     * @throws HostKeyException            when an SSH host's key is not trusted
     */
    public static Kernel open(String uri, Settings settings) {
        KernelUri parsed = KernelUri.parse(uri);
        return Kernel.of(
                switch (parsed.kind()) {
                    case "local" -> LocalBackend.probe(settings.get(Setting.LOCAL_IP));
                    case "rootless" -> RootlessBackend.start(settings);
                    case "qemu" -> QemuBackend.start(settings);
                    case "multipass" -> MultipassBackend.start(settings);
                    default ->
                        SshBackend.connect(
                                new SshTarget(
                                        parsed.host(),
                                        parsed.port().orElseGet(() -> settings.get(Setting.SSH_PORT)),
                                        parsed.user().orElseGet(() -> settings.get(Setting.SSH_USER)),
                                        parsed.identity()
                                                .map(Settings::expandHome)
                                                .orElseGet(() -> settings.get(Setting.SSH_IDENTITY)),
                                        parsed.knownHosts()
                                                .map(Settings::expandHome)
                                                .orElseGet(() -> settings.get(Setting.SSH_KNOWN_HOSTS)),
                                        settings.get(Setting.SSH_CONNECT_TIMEOUT),
                                        settings.get(Setting.SSH_SHELLS)),
                                "ssh");
                });
    }

    /** {@code auto}, with the local and rootless probes passed in so tests can play a machine where they fail. */
    public static Backend auto(Settings settings, Supplier<Backend> localProbe, Supplier<Backend> rootlessProbe) {
        List<String> rejected = new ArrayList<>();
        try {
            Backend local = localProbe.get();
            logOnce("netns-lab: netnslab.backend=auto chose the local backend ("
                    + Kernel.of(local).describe() + "): this is Linux with the privileges network namespaces need");
            return local;
        } catch (BackendUnavailableException e) {
            rejected.add("local: " + e.getMessage());
        }
        Optional<String> host = settings.find(Setting.SSH_HOST);
        if (host.isPresent()) {
            try {
                Backend ssh = SshBackend.connect(settings);
                logOnce("netns-lab: netnslab.backend=auto chose the ssh backend ("
                        + Kernel.of(ssh).describe() + "): the local one does not fit and " + Setting.SSH_HOST
                        + " is set");
                return ssh;
            } catch (HostKeyException e) {
                throw e;
            } catch (NetnsLabException e) {
                // Unreachable, key refused, no sudo: another backend may still do.
                rejected.add("ssh: " + e.getMessage());
            }
        } else {
            rejected.add("ssh: " + Setting.SSH_HOST + " is not set");
        }
        try {
            Backend rootless = rootlessProbe.get();
            logOnce("netns-lab: netnslab.backend=auto chose the rootless backend ("
                    + Kernel.of(rootless).describe()
                    + "): the local backend does not fit (" + firstSentence(rejected.get(0)) + ")"
                    + (host.isPresent() ? ", nor does ssh" : "") + ", and this user may create user namespaces");
            return rootless;
        } catch (BackendUnavailableException e) {
            rejected.add("rootless: " + e.getMessage());
        }
        String multipass = settings.get(Setting.MULTIPASS_EXECUTABLE);
        if (onPath(multipass)) {
            try {
                Backend vm = MultipassBackend.start(settings);
                logOnce("netns-lab: netnslab.backend=auto chose the multipass backend ("
                        + Kernel.of(vm).describe() + "): neither local, ssh nor rootless fits, and " + multipass
                        + " is installed");
                return vm;
            } catch (HostKeyException e) {
                throw e;
            } catch (NetnsLabException e) {
                rejected.add("multipass: " + e.getMessage());
            }
        } else {
            rejected.add("multipass: '" + multipass + "' is not on the PATH");
        }
        throw new BackendUnavailableException(
                "netnslab.backend=auto found no kernel to build labs on. It tried, in order:\n  - "
                        + String.join("\n  - ", rejected)
                        + "\nFix one of these, or set netnslab.backend to local, rootless, ssh or multipass to see only that one's problem.");
    }

    /**
     * Starts, in the background, what the run's backend takes long to get ready (the qemu VM's
     * boot), so that it overlaps test discovery; does nothing for backends that are ready at once.
     */
    public static void prepareEarly(Settings settings) {
        QemuVms.bootEarly(settings);
    }

    /** Stops what {@link #prepareEarly} started, unless the settings keep it for the next run. */
    public static void stopPrepared() {
        QemuVms.stopAll();
    }

    /** The first sentence of a rejection, for a one-line log. */
    static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end);
    }

    private static void logOnce(String message) {
        if (LOGGED.add(message)) {
            LOG.log(Level.INFO, message);
        }
    }

    /** Whether {@code program} is an executable path, or names one in a PATH folder. */
    static boolean onPath(String program) {
        return Machine.current().which(program).isPresent();
    }
}
