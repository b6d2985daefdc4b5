package dev.netnslab;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README promises a table of every configuration key with its default. Each {@code netnslab.*}
 * constant of {@link Settings} and {@link dev.netnslab.reaper.Reaper} must have a row
 * ({@code | `key` | ...}) in README.md.
 */
@DisplayName("every configuration key is documented")
class SettingsDocumentationTest {

    @Test
    @DisplayName("each netnslab.* key of Settings has a row in the README's configuration table")
    void everyKeyHasARow() throws IOException, IllegalAccessException {
        String docs = docs();
        for (String key : keys()) {
            assertThat(docs).as("%s has no row in the configuration table of README.md; "
                    + "add one: | `%s` | <default> | <what it does> |", key, key).contains("| `" + key + "` |");
        }
    }

    static List<String> keys() throws IllegalAccessException {
        List<String> keys = new ArrayList<>();
        for (Class<?> holder : List.of(Settings.class, dev.netnslab.reaper.Reaper.class)) {
            for (Field field : holder.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                        && String.valueOf(field.get(null)).startsWith("netnslab.")) {
                    keys.add((String) field.get(null));
                }
            }
        }
        assertThat(keys).contains(Settings.BACKEND, Settings.KEEP_ON_FAILURE, dev.netnslab.reaper.Reaper.WATCHDOG_KEY);
        return keys;
    }

    private static String docs() throws IOException {
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
        StringBuilder text = new StringBuilder();
        for (String name : List.of("README.md")) {
            Path file = root.resolve(name);
            if (Files.isRegularFile(file)) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }
}
