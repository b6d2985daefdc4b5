package dev.netnslab.internal.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.backend.Backend;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code netnslab.backend=auto} on machines played by probes: root or sudo first, rootless when it is the only way. */
@DisplayName("auto: local, then a configured ssh host, then rootless, then multipass")
class AutoSelectionTest {

    private static final Settings NO_SSH_NO_MULTIPASS = Settings.from(key -> Optional.ofNullable(
            Map.of(Setting.MULTIPASS_EXECUTABLE.key(), "/nonexistent/multipass").get(key)));

    @Test
    @DisplayName("with root or passwordless sudo, local wins and rootless is not even started")
    void localFirst() {
        Backend chosen = Backends.auto(NO_SSH_NO_MULTIPASS, () -> new Named("local"), () -> {
            throw new AssertionError("rootless must not be probed when local works");
        });
        assertThat(chosen.name()).isEqualTo("local");
    }

    @Test
    @DisplayName("without root and sudo, rootless is chosen")
    void rootlessWhenLocalDoesNotFit() {
        Backend chosen = Backends.auto(
                NO_SSH_NO_MULTIPASS,
                () -> {
                    throw new BackendUnavailableException("The local backend needs root. Run as root.");
                },
                () -> new Named("rootless"));
        assertThat(chosen.name()).isEqualTo("rootless");
    }

    @Test
    @DisplayName("when nothing fits, the error names rootless's reason with the rest")
    void nothingFits() {
        assertThatThrownBy(() -> Backends.auto(
                        NO_SSH_NO_MULTIPASS,
                        () -> {
                            throw new BackendUnavailableException("no root here");
                        },
                        () -> {
                            throw new BackendUnavailableException(
                                    "no user namespaces here; set kernel.unprivileged_userns_clone=1");
                        }))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("local: no root here")
                .hasMessageContaining("rootless: no user namespaces here; set kernel.unprivileged_userns_clone=1")
                .hasMessageContaining("set netnslab.backend to local, rootless, ssh or multipass");
    }

    @Test
    @DisplayName("the log line keeps only the first sentence of why local did not fit")
    void firstSentence() {
        assertThat(Backends.firstSentence("The local backend needs root, but uid 1000 has no sudo. Run as root."))
                .isEqualTo("The local backend needs root, but uid 1000 has no sudo");
        assertThat(Backends.firstSentence("no period")).isEqualTo("no period");
    }

    /** A backend that only has a name. */
    private record Named(String name) implements Backend {
        @Override
        public ExecResult run(List<String> argv, String stdin, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BackgroundProcess start(List<String> argv) {
            throw new UnsupportedOperationException();
        }
    }
}
