package dev.netnslab.internal.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Settings: configuration parameter > system property > NETNSLAB_* > ~/.netnslab.properties")
class SettingsTest {

    /** A key no one sets in this JVM, so system properties never interfere. */
    private static final String KEY = "netnslab.test.settingsKey";

    @TempDir
    Path home;

    private Path userFile(String content) throws IOException {
        Path file = home.resolve(Settings.USER_FILE_NAME);
        Files.writeString(file, content);
        return file;
    }

    @Nested
    @DisplayName("precedence")
    class Precedence {

        @Test
        @DisplayName("the user file is read when nothing else sets the key")
        void userFileIsLowest() throws IOException {
            Settings settings = Settings.of(key -> Optional.empty(), Map.of(), userFile(KEY + "=from-file\n"));
            assertThat(settings.get(KEY)).contains("from-file");
            assertThat(settings.origin(KEY)).endsWith(Settings.USER_FILE_NAME);
        }

        @Test
        @DisplayName("an environment variable beats the user file")
        void environmentBeatsFile() throws IOException {
            Settings settings = Settings.of(
                    key -> Optional.empty(),
                    Map.of("NETNSLAB_TEST_SETTINGSKEY", "from-env"),
                    userFile(KEY + "=from-file\n"));
            assertThat(settings.get(KEY)).contains("from-env");
            assertThat(settings.origin(KEY)).isEqualTo("environment variable NETNSLAB_TEST_SETTINGSKEY");
        }

        @Test
        @DisplayName("a system property beats the environment")
        void systemPropertyBeatsEnvironment() throws IOException {
            System.setProperty(KEY, "from-property");
            try {
                Settings settings = Settings.of(
                        key -> Optional.empty(),
                        Map.of("NETNSLAB_TEST_SETTINGSKEY", "from-env"),
                        userFile(KEY + "=from-file\n"));
                assertThat(settings.get(KEY)).contains("from-property");
                assertThat(settings.origin(KEY)).isEqualTo("system property " + KEY);
            } finally {
                System.clearProperty(KEY);
            }
        }

        @Test
        @DisplayName("the primary source (JUnit configuration parameters) beats everything")
        void primaryBeatsAll() throws IOException {
            Settings settings = Settings.of(
                    key -> Optional.of("from-junit"),
                    Map.of("NETNSLAB_TEST_SETTINGSKEY", "from-env"),
                    userFile(KEY + "=from-file\n"));
            assertThat(settings.get(KEY)).contains("from-junit");
        }

        @Test
        @DisplayName("blank values count as unset and fall through")
        void blankFallsThrough() throws IOException {
            Settings settings = Settings.of(
                    key -> Optional.of("  "),
                    Map.of("NETNSLAB_TEST_SETTINGSKEY", ""),
                    userFile(KEY + "= from-file \n"));
            assertThat(settings.get(KEY)).contains("from-file");
        }

        @Test
        @DisplayName("unset everywhere: empty, origin 'default', and the default value is used")
        void unsetEverywhere() {
            Settings settings = Settings.of(key -> Optional.empty(), Map.of(), home.resolve("missing.properties"));
            assertThat(settings.get(KEY)).isEmpty();
            assertThat(settings.origin(KEY)).isEqualTo("default");
            assertThat(settings.get(Setting.COMMAND_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
            assertThat(settings.find(Setting.COMMAND_TIMEOUT)).isEmpty();
        }
    }

    @Test
    @DisplayName("the user file lives in user.home")
    void userFileFollowsUserHome() {
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            assertThat(Settings.fromSystem().userFile()).contains(home.resolve(".netnslab.properties"));
        } finally {
            System.setProperty("user.home", before);
        }
    }

    @Test
    @DisplayName("a bad value names the key, the value and where it came from")
    void badValueNamesOrigin() throws IOException {
        Settings settings = Settings.of(
                key -> Optional.empty(), Map.of(), userFile(Setting.KEEP_ON_FAILURE.key() + "=sometimes\n"));
        assertThatThrownBy(() -> settings.get(Setting.KEEP_ON_FAILURE))
                .hasMessageContaining(Setting.KEEP_ON_FAILURE.key())
                .hasMessageContaining("true or false")
                .hasMessageContaining("'sometimes'")
                .hasMessageContaining(Settings.USER_FILE_NAME);
    }

    @Test
    @DisplayName("environment names: dots become underscores, letters upper case")
    void environmentNames() {
        assertThat(Settings.environmentName("netnslab.keepOnFailure")).isEqualTo("NETNSLAB_KEEPONFAILURE");
        assertThat(Setting.COMMAND_TIMEOUT.environmentName()).isEqualTo("NETNSLAB_COMMAND_TIMEOUT");
    }
}
