package dev.netnslab.internal.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of setting refuses a bad value with one message shape, wherever the value came from:
 * the key, the rule, the value as given and its origin, so a user knows what to fix and where.
 */
@DisplayName("Setting rules: a bad value names the key, the rule, the value and its origin")
class SettingRulesTest {

    @TempDir
    Path home;

    /** One setting of each kind, a value that breaks its rule, and the rule as messages state it. */
    enum Kind {
        FLAG(Setting.KEEP_ON_FAILURE, "sometimes", "true or false"),
        NUMBER_RANGE(Setting.SSH_PORT, "70000", "a whole number from 1 to 65535"),
        DURATION(Setting.COMMAND_TIMEOUT, "30", "a duration such as 500ms, 30s or 2m"),
        CHOICE(Setting.BACKEND, "vmware", "one of auto, local, rootless, ssh, multipass, qemu"),
        // The only text Linux refuses as a path: a NUL byte.
        PATH(Setting.SSH_KNOWN_HOSTS, "known\0hosts", "a file path");

        final Setting<?> setting;
        final String bad;
        final String rule;

        Kind(Setting<?> setting, String bad, String rule) {
            this.setting = setting;
            this.bad = bad;
            this.rule = rule;
        }
    }

    /** Where a value can come from, how a test puts it there, and how messages name the place. */
    enum Origin {
        JUNIT_PARAMETER {
            @Override
            Settings with(String key, String value, Path home) {
                return Settings.of(k -> k.equals(key) ? Optional.of(value) : Optional.empty(), Map.of());
            }

            @Override
            String named(String key, Path home) {
                return "configuration parameter " + key;
            }
        },
        SYSTEM_PROPERTY {
            @Override
            Settings with(String key, String value, Path home) {
                return Settings.of(k -> Optional.empty(), Map.of());
            }

            @Override
            String named(String key, Path home) {
                return "system property " + key;
            }
        },
        ENVIRONMENT_VARIABLE {
            @Override
            Settings with(String key, String value, Path home) {
                return Settings.of(k -> Optional.empty(), Map.of(Settings.environmentName(key), value));
            }

            @Override
            String named(String key, Path home) {
                return "environment variable " + Settings.environmentName(key);
            }
        },
        USER_FILE {
            @Override
            Settings with(String key, String value, Path home) throws IOException {
                // Properties files escape what they cannot hold literally, such as NUL.
                String escaped = value.replace("\0", "\\u0000");
                Path file = Files.writeString(home.resolve(Settings.USER_FILE_NAME), key + "=" + escaped + "\n");
                return Settings.of(k -> Optional.empty(), Map.of(), file);
            }

            @Override
            String named(String key, Path home) {
                return home.resolve(Settings.USER_FILE_NAME).toString();
            }
        };

        abstract Settings with(String key, String value, Path home) throws IOException;

        abstract String named(String key, Path home);
    }

    static Stream<Arguments> everyKindFromEveryOrigin() {
        return Arrays.stream(Origin.values())
                .flatMap(origin -> Arrays.stream(Kind.values()).map(kind -> Arguments.of(origin, kind)));
    }

    @ParameterizedTest(name = "{1} from the {0}")
    @MethodSource("everyKindFromEveryOrigin")
    @DisplayName("refused with the key, the rule, the value and the origin")
    void badValue(Origin origin, Kind kind) throws IOException {
        String key = kind.setting.key();
        Settings settings = origin.with(key, kind.bad, home);
        if (origin == Origin.SYSTEM_PROPERTY) {
            System.setProperty(key, kind.bad);
        }
        try {
            assertThatThrownBy(() -> settings.get(kind.setting))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(key + " must be " + kind.rule + " but was '" + kind.bad + "' (from "
                            + origin.named(key, home) + "); fix or remove that value");
            assertThatThrownBy(() -> settings.find(kind.setting))
                    .as("find reads the configured value the same way")
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            if (origin == Origin.SYSTEM_PROPERTY) {
                System.clearProperty(key);
            }
        }
    }

    @Nested
    @DisplayName("the edges of each rule")
    class Edges {

        private Settings configured(Setting<?> setting, String value) {
            return Settings.of(k -> k.equals(setting.key()) ? Optional.of(value) : Optional.empty(), Map.of());
        }

        @Test
        @DisplayName("a number range includes both ends, and refuses a number outside it or text")
        void numberRange() {
            assertThat(configured(Setting.SSH_PORT, "1").get(Setting.SSH_PORT)).isEqualTo(1);
            assertThat(configured(Setting.SSH_PORT, "65535").get(Setting.SSH_PORT))
                    .isEqualTo(65535);
            assertThatThrownBy(() -> configured(Setting.SSH_PORT, "0").get(Setting.SSH_PORT))
                    .hasMessageContaining("'0'");
            assertThatThrownBy(() -> configured(Setting.SSH_PORT, "twenty-two").get(Setting.SSH_PORT))
                    .hasMessageContaining("a whole number from 1 to 65535")
                    .hasMessageContaining("'twenty-two'");
        }

        @Test
        @DisplayName("a duration takes ms, s or m, and refuses a bare number")
        void duration() {
            assertThat(configured(Setting.COMMAND_TIMEOUT, "250ms").get(Setting.COMMAND_TIMEOUT))
                    .isEqualTo(Duration.ofMillis(250));
            assertThat(configured(Setting.COMMAND_TIMEOUT, "45s").get(Setting.COMMAND_TIMEOUT))
                    .isEqualTo(Duration.ofSeconds(45));
            assertThat(configured(Setting.COMMAND_TIMEOUT, "2M").get(Setting.COMMAND_TIMEOUT))
                    .isEqualTo(Duration.ofMinutes(2));
            assertThatThrownBy(() -> configured(Setting.COMMAND_TIMEOUT, "1h").get(Setting.COMMAND_TIMEOUT))
                    .hasMessageContaining("'1h'");
        }

        @Test
        @DisplayName("a flag and a choice ignore case")
        void caseInsensitive() {
            assertThat(configured(Setting.KEEP_ON_FAILURE, "TRUE").get(Setting.KEEP_ON_FAILURE))
                    .isTrue();
            assertThat(configured(Setting.BACKEND, "Local").get(Setting.BACKEND))
                    .isEqualTo("local");
        }

        @Test
        @DisplayName("a path starting with ~/ is under user.home")
        void homePath() {
            assertThat(configured(Setting.SSH_KNOWN_HOSTS, "~/kh").get(Setting.SSH_KNOWN_HOSTS))
                    .isEqualTo(Path.of(System.getProperty("user.home"), "kh"));
            assertThat(configured(Setting.SSH_KNOWN_HOSTS, "/etc/ssh/kh").get(Setting.SSH_KNOWN_HOSTS))
                    .isEqualTo(Path.of("/etc/ssh/kh"));
        }
    }

    @Nested
    @DisplayName("families of keys")
    class Families {

        @Test
        @DisplayName("netnslab.kernels.<name> is read per name, with the family's rule, and is not registered again")
        void perName() {
            Settings settings = Settings.of(
                    k -> Optional.ofNullable(Map.of("netnslab.kernels.rack1", "ssh://root@10.0.0.11")
                            .get(k)),
                    Map.of("NETNSLAB_KERNELS_RACK2_UNDERLAY", "10.0.0.12"));
            int before = Setting.all().size();
            assertThat(settings.find(Setting.KERNEL.named("rack1"))).contains("ssh://root@10.0.0.11");
            assertThat(settings.find(Setting.KERNEL.named("rack2"))).isEmpty();
            assertThat(settings.find(Setting.KERNEL_UNDERLAY.named("rack2"))).contains("10.0.0.12");
            assertThat(Setting.KERNEL_UNDERLAY.named("rack2").key()).isEqualTo("netnslab.kernels.rack2.underlay");
            assertThat(Setting.all()).hasSize(before);
        }

        @Test
        @DisplayName("a single key is not a family")
        void notAFamily() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Setting.BACKEND.named("x"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("netnslab.backend is one key, not a family of keys");
        }
    }

    @Nested
    @DisplayName("nothing configured")
    class Unset {

        private final Settings nothing = Settings.of(k -> Optional.empty(), Map.of());
        private final Properties hidden = new Properties();

        /** The build may set keys as system properties (the ping budget); nothing means nothing here. */
        @BeforeEach
        void hideSystemProperties() {
            for (Setting<?> setting : Setting.all()) {
                String value = System.getProperty(setting.key());
                if (value != null) {
                    hidden.setProperty(setting.key(), value);
                    System.clearProperty(setting.key());
                }
            }
        }

        @AfterEach
        void restoreSystemProperties() {
            hidden.forEach((key, value) -> System.setProperty((String) key, (String) value));
        }

        @Test
        @DisplayName("get gives the default, and find is empty")
        void defaults() {
            assertThat(nothing.get(Setting.KEEP_ON_FAILURE)).isFalse();
            assertThat(nothing.get(Setting.SSH_PORT)).isEqualTo(22);
            assertThat(nothing.get(Setting.COMMAND_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
            assertThat(nothing.get(Setting.BACKEND)).isEqualTo("auto");
            assertThat(nothing.get(Setting.SSH_KNOWN_HOSTS))
                    .isEqualTo(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
            for (Setting<?> setting : Setting.all()) {
                assertThat(nothing.find(setting)).as(setting.key()).isEmpty();
                assertThat(nothing.origin(setting)).as(setting.key()).isEqualTo("default");
            }
        }

        @Test
        @DisplayName("every setting with a default gives it without being configured")
        void everyDefaultIsUsable() {
            for (Setting<?> setting : Setting.all()) {
                if (setting.hasDefault()) {
                    assertThat((Object) nothing.get(setting)).as(setting.key()).isNotNull();
                }
            }
        }

        @Test
        @DisplayName("a setting without a default is read with find; get says so and names the key")
        void noDefault() {
            assertThat(Setting.SSH_HOST.hasDefault()).isFalse();
            assertThat(nothing.find(Setting.SSH_HOST)).isEmpty();
            assertThatThrownBy(() -> nothing.get(Setting.SSH_HOST))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(Setting.SSH_HOST.key())
                    .hasMessageContaining("Settings.find");
        }
    }
}
