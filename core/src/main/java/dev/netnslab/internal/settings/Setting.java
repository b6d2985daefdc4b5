package dev.netnslab.internal.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One configuration key of netns-lab: its name, how its text is parsed, what it may be, its default
 * and what it does. Every key the library reads is a constant here, and {@link #all()} lists them,
 * so the table in docs/configuration.md and the code cannot drift apart (a test holds them together).
 *
 * <pre>{@code
 * Duration timeout = settings.get(Setting.COMMAND_TIMEOUT);   // 30s unless configured
 * Optional<String> host = settings.find(Setting.SSH_HOST);     // no default
 * }</pre>
 *
 * @param <T> the parsed value's type
 */
public final class Setting<T> {

    private static final List<Setting<?>> ALL = new ArrayList<>();
    /** What stands for a name in the key of a family of keys. */
    private static final String NAME_PLACEHOLDER = "<name>";

    // The lab and its checks.
    /** Which kernel to build labs on. */
    public static final Setting<String> BACKEND = choice(
            "netnslab.backend",
            "auto",
            "which kernel to build labs on",
            "auto",
            "local",
            "rootless",
            "ssh",
            "multipass",
            "qemu");
    /** {@code true} turns "no usable kernel" from a failure into a skipped test. */
    public static final Setting<Boolean> SKIP_WHEN_UNAVAILABLE = flag(
            "netnslab.skipWhenUnavailable",
            false,
            "`true`: skip tests instead of failing them when no backend is usable");
    /** The {@code ip} program the local backend runs. */
    public static final Setting<String> LOCAL_IP = text(
            "netnslab.local.ip", "ip", "the `ip` program of the local and rootless backends (found on the `PATH`)");
    /** Time limit of a single command the library runs. */
    public static final Setting<Duration> COMMAND_TIMEOUT = duration(
            "netnslab.command.timeout",
            Duration.ofSeconds(30),
            "time limit of each command the library runs (`500ms`, `30s`, `2m`)");
    /** Total time {@code canPing} keeps retrying before it fails. */
    public static final Setting<Duration> PING_TIMEOUT = duration(
            "netnslab.ping.timeout", Duration.ofSeconds(1), "how long `canPing` keeps retrying before it fails");
    /** How long a lab may take to become ready (carrier, forwarding ports, no tentative addresses). */
    public static final Setting<Duration> READY_TIMEOUT = duration(
            "netnslab.ready.timeout",
            Duration.ofSeconds(10),
            "how long `Lab.start` (and `Link.up()`, `clear()`) waits for every interface the lab brings up to carry packets: up with carrier, forwarding as a bridge port, no tentative IPv6 address; then it fails naming the interface and its state");
    /** Where {@code canPing}, {@code cannotPing} and {@code canConnect} run. */
    public static final Setting<String> CHECKS = choice(
            "netnslab.checks",
            "auto",
            "where `canPing`, `cannotPing` and `canConnect` run: `auto` (in this JVM, on a thread inside the namespace, when the lab is local and the JVM is root) or `process` (`ping` and `bash` inside the namespace)",
            "auto",
            "process");
    /** How many namespaces a lab configures at once while it is built (1 = one after the other). */
    public static final Setting<Integer> BUILD_PARALLELISM = number(
            "netnslab.build.parallelism", 4, 1, 64, "how many namespaces a lab configures at once while it is built");
    /** What to do with labs that could overflow the machine-wide neighbour table. */
    public static final Setting<String> NEIGHBOUR_CHECK = choice(
            "netnslab.neighbour.check",
            "warn",
            "labs that could overflow the machine-wide neighbour table (`gc_thresh3`): `warn`, `fail` (refuse them) or `off`",
            "warn",
            "fail",
            "off");

    // Failure reports and files.
    /** {@code true} keeps a failed test's lab and prints how to enter and delete it. */
    public static final Setting<Boolean> KEEP_ON_FAILURE = flag(
            "netnslab.keepOnFailure", false, "`true`: keep a failed test's lab and print how to enter and delete it");
    /** {@code false} turns off the state report attached to failed tests. */
    public static final Setting<Boolean> DIAGNOSTICS =
            flag("netnslab.diagnostics", true, "`false`: attach no state report to failed tests");
    /** Where diagrams, diagnostics and packet captures are written. */
    public static final Setting<String> OUTPUT_DIR = text(
            "netnslab.outputDir",
            "target/netnslab",
            "where lab diagrams (`<lab id>.svg`) and packet captures (`captures/*.pcap`) go");

    // Clean-up after a crash.
    /** {@code false} starts no watchdog. */
    public static final Setting<Boolean> WATCHDOG = flag(
            "netnslab.watchdog",
            true,
            "`false`: start no watchdog; a killed JVM's labs then wait for the next run's sweep");
    /** {@code false} does not sweep dead owners' labs. */
    public static final Setting<Boolean> SWEEP =
            flag("netnslab.sweep", true, "`false`: do not sweep dead owners' labs when a JVM starts its first lab");

    // Labs that span kernels.
    /**
     * A named kernel of labs that span kernels: a URI as {@code Backend.open} takes it. A family of
     * keys: {@code <name>} stands for the kernel's name; read one with {@link #named(String)}.
     */
    public static final Setting<String> KERNEL = required(
            "netnslab.kernels.<name>",
            "the kernel a spec's `on(\"<name>\", ...)` places namespaces on: `local`, `rootless`, `qemu`,"
                    + " `multipass` or `ssh://user@host:port?identity=PATH&knownHosts=PATH` (see docs/scale-out.md)");
    /** The underlay address of a named kernel, when the one found automatically is not the right one. */
    public static final Setting<String> KERNEL_UNDERLAY = required(
            "netnslab.kernels.<name>.underlay",
            "the address the other kernels send a lab's tunnels to on kernel `<name>` (`default` for the"
                    + " default kernel); found automatically when unset");
    /** The UDP port of the VXLAN tunnels between kernels. */
    public static final Setting<Integer> TUNNEL_PORT = number(
            "netnslab.tunnel.port",
            4790,
            1,
            65535,
            "the UDP port of the VXLAN tunnels that join a lab's kernels (not 4789 or 8472, which CNIs use)");

    // The ssh backend.
    /** SSH backend: the host to connect to; no default. */
    public static final Setting<String> SSH_HOST = required("netnslab.ssh.host", "the SSH host (required for `ssh`)");
    /** SSH backend: the port. */
    public static final Setting<Integer> SSH_PORT = number("netnslab.ssh.port", 22, 1, 65535, "the SSH port");
    /** SSH backend: the login user. */
    public static final Setting<String> SSH_USER = new Setting<>(
            "netnslab.ssh.user",
            Function.identity(),
            "text",
            () -> System.getProperty("user.name"),
            "your user name",
            "the login user; other than root, commands run with `sudo -n`");
    /** SSH backend: the private key file. */
    public static final Setting<Path> SSH_IDENTITY = new Setting<>(
            "netnslab.ssh.identity",
            Settings::expandHome,
            "a file",
            Setting::defaultIdentity,
            "the first of `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa`",
            "the private key (unencrypted)");
    /** SSH backend: the known_hosts file that must hold the host's key. */
    public static final Setting<Path> SSH_KNOWN_HOSTS =
            path("netnslab.ssh.knownHosts", "~/.ssh/known_hosts", "must hold the host's key");
    /** SSH backend: bound on connecting, logging in and opening a channel. */
    public static final Setting<Duration> SSH_CONNECT_TIMEOUT = duration(
            "netnslab.ssh.connectTimeout",
            Duration.ofSeconds(10),
            "bound on connecting, logging in, opening a channel");
    /** SSH backend: how many commands may run at once over the one connection. */
    public static final Setting<Integer> SSH_SHELLS =
            number("netnslab.ssh.shells", 4, 1, 64, "commands that may run at once over the connection");

    // The multipass backend and VMs.
    /** Multipass backend: the VM's name. */
    public static final Setting<String> MULTIPASS_NAME = text("netnslab.multipass.name", "netns-lab", "the VM's name");
    /** Multipass backend: the image to launch. */
    public static final Setting<String> MULTIPASS_IMAGE =
            text("netnslab.multipass.image", "22.04", "the image to launch");
    /** Multipass backend: the VM's memory. */
    public static final Setting<String> MULTIPASS_MEMORY = text("netnslab.multipass.memory", "1G", "the VM's memory");
    /** Multipass backend: the VM's disk. */
    public static final Setting<String> MULTIPASS_DISK = text("netnslab.multipass.disk", "5G", "the VM's disk");
    /** Multipass backend: the cloud-init file to launch with; default the one shipped in core. */
    public static final Setting<Path> MULTIPASS_CLOUD_INIT = new Setting<>(
            "netnslab.multipass.cloudInit",
            Settings::expandHome,
            "a file",
            null,
            "the project's `cloud-init.yaml`, shipped inside netnslab-core",
            "the user-data to launch with");
    /** Multipass backend: the {@code multipass} program. */
    public static final Setting<String> MULTIPASS_EXECUTABLE =
            text("netnslab.multipass.executable", "multipass", "the Multipass program", "`multipass` (on the `PATH`)");
    /** Multipass backend: the VM user to log in as over SSH. */
    public static final Setting<String> MULTIPASS_USER =
            text("netnslab.multipass.user", "netnslab", "the VM user to log in as; needs passwordless sudo");
    /** Multipass backend: bound on {@code multipass launch}. */
    public static final Setting<Duration> MULTIPASS_LAUNCH_TIMEOUT =
            duration("netnslab.multipass.launchTimeout", Duration.ofMinutes(10), "bound on `multipass launch`");
    /** Multipass backend: the VM's SSH port. */
    public static final Setting<Integer> MULTIPASS_SSH_PORT =
            number("netnslab.multipass.sshPort", 22, 1, 65535, "only for port-forwarded or stand-in VMs");

    // The qemu backend.
    /** Qemu backend: the disk image to boot, a file or an http(s) URL; no default. */
    public static final Setting<String> QEMU_IMAGE = required(
            "netnslab.qemu.image",
            "the disk image to boot (required for `qemu`): a file, or an http(s) URL downloaded once into `~/.netnslab/qemu/images`");
    /** Qemu backend: the image's SHA-256, checked when it is downloaded. */
    public static final Setting<String> QEMU_IMAGE_SHA256 =
            required("netnslab.qemu.imageSha256", "the image's SHA-256 (hex), checked when the URL is downloaded");
    /** Qemu backend: a kernel to boot with {@code -kernel}, for images without a boot loader. */
    public static final Setting<Path> QEMU_KERNEL = new Setting<>(
            "netnslab.qemu.kernel",
            Settings::expandHome,
            "a file",
            null,
            "none: the image boots itself",
            "a kernel to boot, for images without a boot loader");
    /** Qemu backend: the initrd booted with {@link #QEMU_KERNEL}. */
    public static final Setting<Path> QEMU_INITRD = new Setting<>(
            "netnslab.qemu.initrd", Settings::expandHome, "a file", null, "none", "the initrd booted with the kernel");
    /** Qemu backend: the kernel command line. */
    public static final Setting<String> QEMU_KERNEL_ARGS = text(
            "netnslab.qemu.kernelArgs",
            "root=/dev/vda rw console=ttyS0",
            "the kernel command line, with `netnslab.qemu.kernel`");
    /** Qemu backend: the VM's memory. */
    public static final Setting<String> QEMU_MEMORY = new Setting<>(
            "netnslab.qemu.memory",
            text -> text.matches("[1-9][0-9]*[MGmg]?") ? text.toUpperCase(Locale.ROOT) : null,
            "a size such as 768M or 2G",
            () -> "1G",
            "`1G`",
            "the VM's memory");
    /** Qemu backend: the VM's CPUs. */
    public static final Setting<Integer> QEMU_CPUS = number("netnslab.qemu.cpus", 2, 1, 64, "the VM's CPUs");
    /** Qemu backend: KVM, emulation, or KVM when a probe shows it works. */
    public static final Setting<String> QEMU_ACCEL = choice(
            "netnslab.qemu.accel",
            "auto",
            "`kvm`, `tcg` (emulation, slower), or `auto`: KVM when `/dev/kvm` is usable and the guest starts under it, else TCG",
            "auto",
            "kvm",
            "tcg");
    /** Qemu backend: the qemu program. */
    public static final Setting<String> QEMU_EXECUTABLE = text(
            "netnslab.qemu.executable",
            "qemu-system-x86_64",
            "the qemu program",
            "`qemu-system-x86_64` (on the `PATH`)");
    /** Qemu backend: bound on the boot, until cloud-init is done. */
    public static final Setting<Duration> QEMU_BOOT_TIMEOUT = duration(
            "netnslab.qemu.bootTimeout",
            Duration.ofMinutes(5),
            "bound on the boot, until ssh answers and cloud-init is done");

    // Both VM backends.
    /** VM backends: keep the VM for the next run. The default differs per backend, so it has none here. */
    public static final Setting<Boolean> VM_KEEP = new Setting<>(
            "netnslab.vm.keep",
            Setting::parseBoolean,
            "true or false",
            null,
            "`true` for multipass, `false` for qemu",
            "`true`: keep the VM at the end for the next run, which reuses it; `false`: stop it (a Multipass VM only if netns-lab launched it)");
    /** VM backends: the cloud-init file to provision from; default the one shipped in core. */
    public static final Setting<Path> VM_CLOUD_INIT = new Setting<>(
            "netnslab.vm.cloudInit",
            Settings::expandHome,
            "a file",
            null,
            "the project's `cloud-init.yaml`, shipped inside netnslab-core",
            "the user-data VMs are provisioned from (`netnslab.multipass.cloudInit` wins for multipass)");
    /** VM backends: the VM user to log in as. */
    public static final Setting<String> VM_USER = text(
            "netnslab.vm.user",
            "netnslab",
            "the VM user to log in as, made by the cloud-init file; needs passwordless sudo");
    /** Where netns-lab keeps its own SSH key and known_hosts for VMs. */
    public static final Setting<Path> HOME =
            path("netnslab.home", "~/.netnslab", "where netns-lab keeps its own SSH key and known_hosts for VMs");

    private final String key;
    private final Function<String, T> parser;
    private final String rule;
    private final Supplier<T> defaultValue;
    private final String defaultText;
    private final String description;

    private Setting(
            String key,
            Function<String, T> parser,
            String rule,
            Supplier<T> defaultValue,
            String defaultText,
            String description) {
        this(key, parser, rule, defaultValue, defaultText, description, true);
    }

    private Setting(
            String key,
            Function<String, T> parser,
            String rule,
            Supplier<T> defaultValue,
            String defaultText,
            String description,
            boolean register) {
        this.key = key;
        this.parser = parser;
        this.rule = rule;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.description = description;
        if (register) {
            synchronized (ALL) {
                ALL.add(this);
            }
        }
    }

    /**
     * For a family of keys such as {@code netnslab.kernels.<name>}: the setting of one member, with
     * {@code <name>} replaced by {@code name}, the same rule and default.
     *
     * @throws IllegalStateException when this setting's key has no {@code <name>}
     */
    public Setting<T> named(String name) {
        if (!key.contains(NAME_PLACEHOLDER)) {
            throw new IllegalStateException(key + " is one key, not a family of keys");
        }
        return new Setting<>(
                key.replace(NAME_PLACEHOLDER, name), parser, rule, defaultValue, defaultText, description, false);
    }

    /** Every setting, in the order of the table in docs/configuration.md. */
    public static List<Setting<?>> all() {
        synchronized (ALL) {
            return Collections.unmodifiableList(new ArrayList<>(ALL));
        }
    }

    /** The key, e.g. {@code netnslab.backend}. */
    public String key() {
        return key;
    }

    /** The environment variable that sets it: {@code netnslab.ssh.knownHosts} is {@code NETNSLAB_SSH_KNOWNHOSTS}. */
    public String environmentName() {
        return Settings.environmentName(key);
    }

    /** What a value must be, for messages: {@code true or false}, {@code one of auto, local, ssh}. */
    public String rule() {
        return rule;
    }

    /** The default as docs/configuration.md shows it: {@code `30s`}, {@code none}, {@code your user name}. */
    public String defaultText() {
        return defaultText;
    }

    /** What the setting does, one line of Markdown, as in the table of docs/configuration.md. */
    public String description() {
        return description;
    }

    /** Whether the setting has a default; those without one are read with {@link Settings#find(Setting)}. */
    public boolean hasDefault() {
        return defaultValue != null;
    }

    /** The default value, computed when asked: some depend on the user's home or the files there. */
    T defaultValue() {
        if (defaultValue == null) {
            throw new IllegalStateException(key + " has no default; read it with Settings.find");
        }
        return defaultValue.get();
    }

    /**
     * Parses {@code text}, the configured value that came from {@code origin}.
     *
     * @throws IllegalArgumentException naming the key, the rule, the value and its origin
     */
    T parse(String text, String origin) {
        try {
            T value = parser.apply(text);
            if (value != null) {
                return value;
            }
        } catch (RuntimeException e) {
            // reported below, with the rule and the origin
        }
        throw new IllegalArgumentException(
                key + " must be " + rule + " but was '" + text + "' (from " + origin + "); fix or remove that value");
    }

    @Override
    public String toString() {
        return key;
    }

    private static Setting<String> text(String key, String defaultValue, String description) {
        return text(key, defaultValue, description, "`" + defaultValue + "`");
    }

    private static Setting<String> text(String key, String defaultValue, String description, String defaultText) {
        return new Setting<>(key, Function.identity(), "text", () -> defaultValue, defaultText, description);
    }

    private static Setting<String> required(String key, String description) {
        return new Setting<>(key, Function.identity(), "text", null, "none", description);
    }

    private static Setting<String> choice(String key, String defaultValue, String description, String... choices) {
        List<String> allowed = List.of(choices);
        return new Setting<>(
                key,
                text -> allowed.contains(text.toLowerCase(Locale.ROOT)) ? text.toLowerCase(Locale.ROOT) : null,
                "one of " + String.join(", ", allowed),
                () -> defaultValue,
                "`" + defaultValue + "`",
                description);
    }

    private static Setting<Boolean> flag(String key, boolean defaultValue, String description) {
        return new Setting<>(
                key, Setting::parseBoolean, "true or false", () -> defaultValue, "`" + defaultValue + "`", description);
    }

    private static Setting<Integer> number(String key, int defaultValue, int min, int max, String description) {
        return new Setting<>(
                key,
                text -> {
                    int parsed = Integer.parseInt(text);
                    return parsed >= min && parsed <= max ? parsed : null;
                },
                "a whole number from " + min + " to " + max,
                () -> defaultValue,
                "`" + defaultValue + "`",
                description);
    }

    private static Setting<Duration> duration(String key, Duration defaultValue, String description) {
        return new Setting<>(
                key,
                Setting::parseDuration,
                "a duration such as 500ms, 30s or 2m",
                () -> defaultValue,
                "`" + format(defaultValue) + "`",
                description);
    }

    private static Setting<Path> path(String key, String defaultValue, String description) {
        return new Setting<>(
                key,
                Settings::expandHome,
                "a file path",
                () -> Settings.expandHome(defaultValue),
                "`" + defaultValue + "`",
                description);
    }

    private static Boolean parseBoolean(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /** {@code 250ms}, {@code 2s} or {@code 1m}; a number without a unit is refused, as it is ambiguous. */
    static Duration parseDuration(String raw) {
        String text = raw.toLowerCase(Locale.ROOT);
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        if (text.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return null;
    }

    /** A duration as settings are written: {@code 500ms}, {@code 30s}, {@code 2m}. */
    public static String format(Duration duration) {
        if (duration.toMillis() % 60_000 == 0) {
            return duration.toMinutes() + "m";
        }
        if (duration.toMillis() % 1000 == 0) {
            return duration.toSeconds() + "s";
        }
        return duration.toMillis() + "ms";
    }

    private static Path defaultIdentity() {
        for (String file : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            Path candidate = Settings.expandHome("~/.ssh/" + file);
            if (java.nio.file.Files.isReadable(candidate)) {
                return candidate;
            }
        }
        return Settings.expandHome("~/.ssh/id_ed25519");
    }
}
