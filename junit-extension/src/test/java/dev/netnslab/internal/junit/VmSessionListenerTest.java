package dev.netnslab.internal.junit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherSessionListener;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("VmSessionListener is found by the JUnit launcher")
class VmSessionListenerTest {

    @Test
    @DisplayName("ServiceLoader lists it as a LauncherSessionListener, so every run sees it open and close")
    void registered() {
        assertThat(ServiceLoader.load(LauncherSessionListener.class).stream().map(ServiceLoader.Provider::type))
                .contains(VmSessionListener.class);
    }
}
