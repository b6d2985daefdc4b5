package dev.netnslab;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void primaryWinsThenSystemPropertyThenEnvironment() {
        Settings settings = Settings.of(key -> key.equals("netnslab.a") ? Optional.of("primary") : Optional.empty(),
                Map.of("NETNSLAB_A", "env", "NETNSLAB_B", "env-b"));
        assertThat(settings.get("netnslab.a")).contains("primary");
        assertThat(settings.get("netnslab.b")).contains("env-b");
        assertThat(settings.get("netnslab.c")).isEmpty();
        System.setProperty("netnslab.b", "sysprop");
        try {
            assertThat(settings.get("netnslab.b")).contains("sysprop");
        } finally {
            System.clearProperty("netnslab.b");
        }
    }

    @Test
    void parsesBooleansAndDurationsStrictly() {
        Settings settings = Settings.of(key -> Optional.of(Map.of("netnslab.t", "250ms", "netnslab.s", "2s",
                "netnslab.m", "1m", "netnslab.bool", "TRUE", "netnslab.bad", "soon").getOrDefault(key, "")), Map.of());
        assertThat(settings.getDuration("netnslab.t", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.getDuration("netnslab.s", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.getDuration("netnslab.m", Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.getDuration("netnslab.unset", Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
        assertThat(settings.getBoolean("netnslab.bool", false)).isTrue();
        assertThatThrownBy(() -> settings.getDuration("netnslab.bad", Duration.ZERO))
                .hasMessage("netnslab.bad must be a duration such as 500ms, 30s or 2m but was 'soon'");
        assertThatThrownBy(() -> settings.getBoolean("netnslab.bad", false))
                .hasMessage("netnslab.bad must be true or false but was 'soon'");
    }

    @Test
    void mapsKeysToEnvironmentNames() {
        assertThat(Settings.environmentName("netnslab.ssh.knownHosts")).isEqualTo("NETNSLAB_SSH_KNOWNHOSTS");
    }
}
