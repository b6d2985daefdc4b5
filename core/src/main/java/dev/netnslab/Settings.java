package dev.netnslab;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where netns-lab reads its {@code netnslab.*} keys. A key is looked up, first hit wins, in:
 * <ol>
 *   <li>the primary source (for the JUnit extension: its configuration parameters, which already
 *       include {@code -D} system properties and {@code junit-platform.properties});</li>
 *   <li>Java system properties;</li>
 *   <li>environment variables, named like {@code NETNSLAB_BACKEND} for {@code netnslab.backend}.</li>
 * </ol>
 */
public final class Settings {

    /** Which kernel to build labs on. Default {@code auto}. */
    public static final String BACKEND = "netnslab.backend";
    /** {@code true} turns "no usable kernel" from a failure into a skipped test. Default {@code false}. */
    public static final String SKIP_WHEN_UNAVAILABLE = "netnslab.skipWhenUnavailable";
    /** The {@code ip} program the local backend runs. Default {@code ip}, found on the PATH. */
    public static final String LOCAL_IP = "netnslab.local.ip";
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

    private final Function<String, Optional<String>> primary;
    private final Map<String, String> environment;

    private Settings(Function<String, Optional<String>> primary, Map<String, String> environment) {
        this.primary = Objects.requireNonNull(primary);
        this.environment = Objects.requireNonNull(environment);
    }

    /** Settings from system properties and environment variables only. */
    public static Settings fromSystem() {
        return new Settings(key -> Optional.empty(), System.getenv());
    }

    /** Settings that consult {@code primary} first, then system properties and environment variables. */
    public static Settings from(Function<String, Optional<String>> primary) {
        return new Settings(primary, System.getenv());
    }

    /** For tests: an explicit environment instead of the process'. */
    static Settings of(Function<String, Optional<String>> primary, Map<String, String> environment) {
        return new Settings(primary, environment);
    }

    /** The value of {@code key}, if set anywhere. Blank values count as unset. */
    public Optional<String> get(String key) {
        Optional<String> value = primary.apply(key).filter(v -> !v.isBlank());
        if (value.isEmpty()) {
            value = Optional.ofNullable(System.getProperty(key)).filter(v -> !v.isBlank());
        }
        if (value.isEmpty()) {
            value = Optional.ofNullable(environment.get(environmentName(key))).filter(v -> !v.isBlank());
        }
        return value.map(String::strip);
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

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
                throw new IllegalArgumentException(key + " must be true or false but was '" + value.get() + "'");
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
        throw new IllegalArgumentException(key + " must be a duration such as 500ms, 30s or 2m but was '" + value.get() + "'");
    }

    /** {@code netnslab.ssh.knownHosts} becomes {@code NETNSLAB_SSH_KNOWNHOSTS}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_');
    }
}
