package dev.netnslab.testing;

import dev.netnslab.internal.settings.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Settings for one test's labs, given as key-value pairs, with no system property or file read. */
public final class TestSettings {

    private TestSettings() {}

    /** {@code of("netnslab.checks", "process")}: the given settings, every other one at its default. */
    public static Settings of(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "settings come in key-value pairs, but " + pairs.length + " strings were given");
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return Settings.of(key -> Optional.ofNullable(values.get(key)), Map.of());
    }
}
