package dev.netnslab.internal.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md holds a table of every configuration key with its default. The table and the
 * registry ({@link Setting#all()}) must say the same: each key has a row, the row's default is the
 * setting's, and the table names no key the library does not read.
 */
@DisplayName("the configuration table of docs/configuration.md matches the settings registry")
class SettingsDocumentationTest {

    private static final Pattern ROW =
            Pattern.compile("^\\| `(netnslab\\.[A-Za-z0-9.<>]+)` \\| (.+?) \\| (.+) \\|$", Pattern.MULTILINE);

    @Test
    @DisplayName("each setting has a row whose default is the setting's")
    void everySettingHasARowWithItsDefault() throws IOException {
        Map<String, String> rows = rows();
        for (Setting<?> setting : Setting.all()) {
            assertThat(rows)
                    .as(
                            "%s has no row in the configuration table of docs/configuration.md; add one: | `%s` | %s | %s |",
                            setting.key(), setting.key(), setting.defaultText(), setting.description())
                    .containsKey(setting.key());
            assertThat(rows.get(setting.key()))
                    .as("the default in docs/configuration.md for %s", setting.key())
                    .isEqualTo(setting.defaultText());
        }
    }

    @Test
    @DisplayName("the table lists no key that the registry does not have")
    void noStaleRows() throws IOException {
        List<String> keys = Setting.all().stream().map(Setting::key).toList();
        assertThat(rows().keySet())
                .as("keys in the configuration table of docs/configuration.md that no Setting declares")
                .isSubsetOf(keys);
    }

    @Test
    @DisplayName("every setting has a description, and a default or the word none")
    void everySettingIsDescribed() {
        assertThat(Setting.all()).isNotEmpty().allSatisfy(setting -> {
            assertThat(setting.description()).as(setting.key()).isNotBlank();
            assertThat(setting.defaultText()).as(setting.key()).isNotBlank();
        });
    }

    /** Key to default column, from the rows of the configuration table in docs/configuration.md. */
    private static Map<String, String> rows() throws IOException {
        Path readme = Path.of(System.getProperty("basedir", "."))
                .toAbsolutePath()
                .normalize()
                .getParent()
                .resolve("docs/configuration.md");
        String text = Files.readString(readme);
        int start = text.indexOf("| key | default | what it does |");
        assertThat(start)
                .as("docs/configuration.md has a configuration table headed | key | default | what it does |")
                .isNotNegative();
        int end = text.indexOf("\n\n", start);
        Matcher matcher = ROW.matcher(text.substring(start, end < 0 ? text.length() : end));
        Map<String, String> rows = new LinkedHashMap<>();
        while (matcher.find()) {
            rows.put(matcher.group(1), matcher.group(2));
        }
        return rows;
    }
}
