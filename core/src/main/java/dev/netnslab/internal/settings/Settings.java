package dev.netnslab.internal.settings;

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
 * Duration timeout = settings.get(Setting.COMMAND_TIMEOUT);
 * String origin = settings.origin(Setting.BACKEND);   // e.g. "environment variable NETNSLAB_BACKEND"
 * }</pre>
 *
 * <p>The keys, their types, rules and defaults are {@link Setting}'s constants.
 */
public final class Settings {

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
    public static Settings of(
            Function<String, Optional<String>> primary, Map<String, String> environment, Path userFile) {
        return new Settings(primary, environment, userFile);
    }

    /** For tests: an explicit environment and no user file. */
    public static Settings of(Function<String, Optional<String>> primary, Map<String, String> environment) {
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

    private record Hit(String value, String origin) {}

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
                    throw new UncheckedIOException(new IOException(
                            "Could not read " + userFile + ": " + e.getMessage()
                                    + ". Fix the file (Java properties format, key=value per line) or remove it.",
                            e));
                }
            }
            userProperties = properties;
        }
        return userProperties;
    }

    /**
     * The value of {@code setting}, or its default when it is set nowhere.
     *
     * @throws IllegalArgumentException when the configured value breaks the setting's rule; the
     *                                  message names the key, the rule, the value and where it came from
     */
    public <T> T get(Setting<T> setting) {
        return find(setting).orElseGet(setting::defaultValue);
    }

    /** The value of {@code setting} if it is configured anywhere; its default does not count. */
    public <T> Optional<T> find(Setting<T> setting) {
        return lookup(setting.key()).map(hit -> setting.parse(hit.value(), hit.origin()));
    }

    /** Where {@code setting}'s value comes from, e.g. {@code environment variable NETNSLAB_BACKEND}, or {@code default}. */
    public String origin(Setting<?> setting) {
        return origin(setting.key());
    }

    /** {@code netnslab.ssh.knownHosts} becomes {@code NETNSLAB_SSH_KNOWNHOSTS}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** {@code ~/x} as a path under {@code user.home}; other paths as given. */
    public static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), path.substring(1).replaceFirst("^/", ""));
        }
        return Path.of(path);
    }
}
