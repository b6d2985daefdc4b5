package dev.netnslab.internal.junit;

import dev.netnslab.internal.settings.Settings;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives a test run one VM for all its labs. The JUnit launcher finds this listener through
 * {@code ServiceLoader}, both as a session listener (told once when the run ends, after every
 * engine and test class) and as a discovery listener (told when discovery starts, before any test
 * class is even found).
 *
 * <p>When the settings select the qemu backend, the VM starts booting as discovery starts, in the
 * background, so the minute a boot takes overlaps discovery and the tests that need no VM; the
 * first lab waits only for what is left. When the run ends, the VM is stopped, whatever the tests
 * did, unless {@code netnslab.vm.keep=true} keeps it for the next run.
 *
 * <p>The boot waits for discovery because that is the first moment the launcher hands out the
 * run's configuration parameters: a {@code LauncherSession} offers none when it opens. The
 * discovery request's parameters are the ones the tests see ({@code junit-platform.properties},
 * parameters the build tool passes, system properties), then environment variables and
 * {@code ~/.netnslab.properties}, as everywhere else. An IDE that discovers more than once
 * starts nothing twice: a boot with the same settings is reused.
 */
public final class VmSessionListener implements LauncherSessionListener, LauncherDiscoveryListener {

    /** For {@code ServiceLoader}. */
    public VmSessionListener() {}

    @Override
    public void launcherDiscoveryStarted(LauncherDiscoveryRequest request) {
        EngineAccess.bootVmEarly(settings(request));
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        EngineAccess.stopVms();
    }

    /** The settings the run's tests will read, as far as the launcher knows them at discovery. */
    static Settings settings(LauncherDiscoveryRequest request) {
        return Settings.from(request.getConfigurationParameters()::get);
    }
}
