package dev.netnslab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where netns-lab reads its {@code netnslab.*} keys. A key is looked up, first hit wins, in:
 * <ol>
 *   <li>the primary source (for the JUnit extension: its configuration parameters, which already
 *       include {@code -D} system properties and {@code junit-platform.properties});</li>
 *   <li>Java system properties;</li>
 *   <li>environment variables, named like {@code NETNSLAB_BACKEND} for {@code netnslab.backend};</li>
 *   <li>the user file {@code ~/.netnslab.properties} ({@code user.home} decides where {@code ~} is),
 *       a place for settings that belong to the machine rather than the project, such as the backend.</li>
 * </ol>
 * This is the order Testcontainers users know: the project's settings win over the machine's.
 *
 * <pre>{@code
 * Settings settings = Settings.fromSystem();
 * Duration timeout = settings.getDuration(Settings.COMMAND_TIMEOUT, Duration.ofSeconds(30));
 * String origin = settings.origin(Settings.BACKEND);   // e.g. "environment variable NETNSLAB_BACKEND"
 * }</pre>
 */
public final class Settings {

    /** Which kernel to build labs on. Default {@code auto}. */
    public static final String BACKEND = "netnslab.backend";
    /** {@code true} turns "no usable kernel" from a failure into a skipped test. Default {@code false}. */
    public static final String SKIP_WHEN_UNAVAILABLE = "netnslab.skipWhenUnavailable";
    /** The {@code ip} program the local backend runs. Default {@code ip}, found on the PATH. */
    public static final String LOCAL_IP = "netnslab.local.ip";

    /** SSH backend: the host to connect to. Required for {@code netnslab.backend=ssh}; lets {@code auto} try SSH. */
    public static final String SSH_HOST = "netnslab.ssh.host";
    /** SSH backend: the port. Default {@code 22}. */
    public static final String SSH_PORT = "netnslab.ssh.port";
    /** SSH backend: the login user; when not root, commands run with {@code sudo -n}. Default: the current user's name. */
    public static final String SSH_USER = "netnslab.ssh.user";
    /** SSH backend: the private key file. Default: the first of {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} that exists. */
    public static final String SSH_IDENTITY = "netnslab.ssh.identity";
    /** SSH backend: the known_hosts file that must hold the host's key. Default {@code ~/.ssh/known_hosts}. */
    public static final String SSH_KNOWN_HOSTS = "netnslab.ssh.knownHosts";
    /** SSH backend: bound on connecting, logging in and opening a channel. Default {@code 10s}. */
    public static final String SSH_CONNECT_TIMEOUT = "netnslab.ssh.connectTimeout";
    /** SSH backend: how many commands may run at once over the one connection. Default {@code 4}. */
    public static final String SSH_SHELLS = "netnslab.ssh.shells";

    /** Multipass backend: the VM's name. Default {@code netns-lab}. */
    public static final String MULTIPASS_NAME = "netnslab.multipass.name";
    /** Multipass backend: the image to launch. Default {@code 22.04}. */
    public static final String MULTIPASS_IMAGE = "netnslab.multipass.image";
    /** Multipass backend: the VM's memory. Default {@code 1G}. */
    public static final String MULTIPASS_MEMORY = "netnslab.multipass.memory";
    /** Multipass backend: the VM's disk. Default {@code 5G}. */
    public static final String MULTIPASS_DISK = "netnslab.multipass.disk";
    /** Multipass backend: the cloud-init file to launch with. Default: the {@code cloud-init.yaml} shipped in core. */
    public static final String MULTIPASS_CLOUD_INIT = "netnslab.multipass.cloudInit";
    /** Multipass backend: the {@code multipass} program. Default {@code multipass}, found on the PATH. */
    public static final String MULTIPASS_EXECUTABLE = "netnslab.multipass.executable";
    /** Multipass backend: the VM user to log in as over SSH. Default {@code netnslab}, the sudo user of {@code cloud-init.yaml}. */
    public static final String MULTIPASS_USER = "netnslab.multipass.user";
    /** Multipass backend: the VM's SSH port. Default {@code 22}; only a port-forwarded or stand-in VM needs another. */
    public static final String MULTIPASS_SSH_PORT = "netnslab.multipass.sshPort";
    /** Multipass backend: bound on {@code multipass launch}. Default {@code 10m}. */
    public static final String MULTIPASS_LAUNCH_TIMEOUT = "netnslab.multipass.launchTimeout";
    /** VM backends: keep the VM when the backend closes ({@code true}), or delete it ({@code false}). Default {@code true}. */
    public static final String VM_KEEP = "netnslab.vm.keep";
    /** Where netns-lab keeps its own SSH key and known_hosts for VMs. Default {@code ~/.netnslab}. */
    public static final String HOME = "netnslab.home";

    /** Time limit of a single command the library runs, e.g. {@code 30s} or {@code 500ms}. Default {@code 30s}. */
    public static final String COMMAND_TIMEOUT = "netnslab.command.timeout";
    /** Total time {@code canPing} keeps retrying before it fails. Default {@code 1s}. */
    public static final String PING_TIMEOUT = "netnslab.ping.timeout";
    /**
     * What to do when a lab could need more neighbour entries than the machine-wide
     * {@code net.ipv4.neigh.default.gc_thresh3}: {@code warn} (default), {@code fail} or {@code off}.
     */
    public static final String NEIGHBOUR_CHECK = "netnslab.neighbour.check";
    /** How many namespaces a lab configures at once while it is built (1 = one after the other). Default {@code 4}. */
    public static final String BUILD_PARALLELISM = "netnslab.build.parallelism";

    /** {@code true} keeps a failed test's lab and prints how to enter and delete it. Default {@code false}. */
    public static final String KEEP_ON_FAILURE = "netnslab.keepOnFailure";
    /** {@code false} turns off the state report attached to failed tests. Default {@code true}. */
    public static final String DIAGNOSTICS = "netnslab.diagnostics";
    /** Where diagrams, diagnostics and packet captures are written. Default {@code target/netnslab}. */
    public static final String OUTPUT_DIR = "netnslab.outputDir";

    /** The user file's name, in the home directory. */
    public static final String USER_FILE_NAME = ".netnslab.properties";

    private final Function<String, Optional<String>> primary;
    private final Map<String, String> environment;
    private final Path userFile;
    private Properties userProperties;

    private Settings(Function<String, Optional<String>> primary, Map<String, String> environment, Path userFile) {
        this.primary = Objects.requireNonNull(primary);
        this.environment = Objects.requireNonNull(environment);
        this.userFile = userFile;
    }

    /** Settings from system properties, environment variables and {@code ~/.netnslab.properties}. */
    public static Settings fromSystem() {
        return from(key -> Optional.empty());
    }

    /**
     * Settings that consult {@code primary} first, then system properties, environment variables
     * and {@code ~/.netnslab.properties}.
     */
    public static Settings from(Function<String, Optional<String>> primary) {
        return new Settings(primary, System.getenv(), defaultUserFile());
    }

    /** For tests: an explicit environment and user file ({@code null} for none) instead of the process'. */
    static Settings of(Function<String, Optional<String>> primary, Map<String, String> environment, Path userFile) {
        return new Settings(primary, environment, userFile);
    }

    /** For tests: an explicit environment and no user file. */
    static Settings of(Function<String, Optional<String>> primary, Map<String, String> environment) {
        return new Settings(primary, environment, null);
    }

    /** {@code ~/.netnslab.properties}, where {@code ~} is the {@code user.home} system property. */
    static Path defaultUserFile() {
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() ? null : Path.of(home, USER_FILE_NAME);
    }

    /** The value of {@code key}, if set anywhere. Blank values count as unset. */
    public Optional<String> get(String key) {
        return lookup(key).map(Hit::value);
    }

    /**
     * Where the value of {@code key} comes from, for messages and {@code doctor}: for example
     * {@code "system property netnslab.backend"}, {@code "environment variable NETNSLAB_BACKEND"},
     * {@code "/home/me/.netnslab.properties"}, or {@code "default"} when it is set nowhere.
     */
    public String origin(String key) {
        return lookup(key).map(Hit::origin).orElse("default");
    }

    /** The path of the user file these settings read, whether or not it exists. */
    public Optional<Path> userFile() {
        return Optional.ofNullable(userFile);
    }

    private record Hit(String value, String origin) {
    }

    private Optional<Hit> lookup(String key) {
        String value = clean(primary.apply(key).orElse(null));
        if (value != null) {
            return Optional.of(new Hit(value, "configuration parameter " + key));
        }
        value = clean(System.getProperty(key));
        if (value != null) {
            return Optional.of(new Hit(value, "system property " + key));
        }
        value = clean(environment.get(environmentName(key)));
        if (value != null) {
            return Optional.of(new Hit(value, "environment variable " + environmentName(key)));
        }
        value = clean(userProperties().getProperty(key));
        if (value != null) {
            return Optional.of(new Hit(value, userFile.toString()));
        }
        return Optional.empty();
    }

    private static String clean(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Read once, on first need; a missing file is an empty one, an unreadable one an error. */
    private synchronized Properties userProperties() {
        if (userProperties == null) {
            Properties properties = new Properties();
            if (userFile != null && Files.isRegularFile(userFile)) {
                try (InputStream in = Files.newInputStream(userFile)) {
                    properties.load(in);
                } catch (IOException | IllegalArgumentException e) {
                    throw new UncheckedIOException(new IOException("Could not read " + userFile + ": " + e.getMessage()
                            + ". Fix the file (Java properties format, key=value per line) or remove it.", e));
                }
            }
            userProperties = properties;
        }
        return userProperties;
    }

    /** The value of {@code key}, or {@code defaultValue} when it is set nowhere. */
    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    /**
     * The value of {@code key} as a boolean.
     *
     * @throws IllegalArgumentException when it is set to anything but {@code true} or {@code false}
     */
    public boolean getBoolean(String key, boolean defaultValue) {
        Optional<String> value = get(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException(key + " must be true or false but was '" + value.get()
                        + "' (from " + origin(key) + ")");
        }
    }

    /** A whole number of at least 1. */
    public int getInt(String key, int defaultValue) {
        Optional<String> value = get(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(key + " must be a whole number of at least 1 but was '" + value.get() + "'");
    }

    /** A duration such as {@code 250ms}, {@code 2s} or {@code 1m}. */
    public java.time.Duration getDuration(String key, java.time.Duration defaultValue) {
        Optional<String> value = get(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String text = value.get().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return java.time.Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return java.time.Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            if (text.endsWith("m")) {
                return java.time.Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(key + " must be a duration such as 500ms, 30s or 2m but was '" + value.get()
                + "' (from " + origin(key) + ")");
    }

    /** {@code netnslab.ssh.knownHosts} becomes {@code NETNSLAB_SSH_KNOWNHOSTS}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** A file path; a leading {@code ~/} means the user's home folder. */
    public Optional<java.nio.file.Path> getPath(String key) {
        return get(key).map(Settings::expandHome);
    }

    /** {@code ~/x} as a path under {@code user.home}; other paths as given. */
    public static java.nio.file.Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return java.nio.file.Path.of(System.getProperty("user.home"), path.substring(1).replaceFirst("^/", ""));
        }
        return java.nio.file.Path.of(path);
    }
}
