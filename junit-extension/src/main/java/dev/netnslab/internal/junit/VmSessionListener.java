package dev.netnslab.internal.junit;

import dev.netnslab.internal.backend.Backends;
import dev.netnslab.internal.settings.Settings;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * Gives a test run one VM for all its labs. The JUnit launcher finds this listener through
 * {@code ServiceLoader} and calls it once when the run begins, before tests are even discovered,
 * and once when it ends, after every engine and test class.
 *
 * <p>When the settings select the qemu backend, the VM starts booting here, in the background, so
 * the minute a boot takes overlaps discovery and the tests that need no VM; the first lab waits only
 * for what is left. When the run ends, the VM is stopped, whatever the tests did, unless
 * {@code netnslab.vm.keep=true} keeps it for the next run.
 *
 * <p>At this point JUnit has no configuration parameters to offer yet, so the settings are read from
 * {@code junit-platform.properties} on the class path, then {@code -D} system properties, environment
 * variables and {@code ~/.netnslab.properties}, as everywhere else.
 */
public final class VmSessionListener implements LauncherSessionListener {

    /** For {@code ServiceLoader}. */
    public VmSessionListener() {
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Backends.prepareEarly(settings());
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        Backends.stopPrepared();
    }

    private static Settings settings() {
        Properties properties = new Properties();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream("junit-platform.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            // JUnit reports an unreadable file itself; the VM then starts with the first lab instead.
        }
        return Settings.from(key -> Optional.ofNullable(properties.getProperty(key)));
    }
}
