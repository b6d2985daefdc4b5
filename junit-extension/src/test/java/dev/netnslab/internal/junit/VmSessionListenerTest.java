package dev.netnslab.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.internal.settings.Setting;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;

@DisplayName("VmSessionListener is found by the JUnit launcher and reads the run's configuration")
class VmSessionListenerTest {

    @Test
    @DisplayName("ServiceLoader lists it as a LauncherSessionListener, so every run's end stops the VM")
    void sessionListener() {
        assertThat(ServiceLoader.load(LauncherSessionListener.class).stream().map(ServiceLoader.Provider::type))
                .contains(VmSessionListener.class);
    }

    @Test
    @DisplayName("ServiceLoader lists it as a LauncherDiscoveryListener, so the VM boots as discovery starts")
    void discoveryListener() {
        assertThat(ServiceLoader.load(LauncherDiscoveryListener.class).stream().map(ServiceLoader.Provider::type))
                .contains(VmSessionListener.class);
    }

    @ParameterizedTest(name = "netnslab.backend={0}")
    @ValueSource(strings = {"rootless", "ssh"})
    @DisplayName("the settings come from the discovery request's configuration parameters")
    void readsTheRequest(String backend) {
        var request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("netnslab.backend", backend)
                .build();

        assertThat(VmSessionListener.settings(request).get(Setting.BACKEND)).isEqualTo(backend);
    }
}
