package dev.netnslab.internal.junit;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.ApiAccess;
import dev.netnslab.internal.backend.Backends;
import dev.netnslab.internal.backend.QemuVms;
import dev.netnslab.internal.settings.Settings;

/**
 * The JUnit module's only door into the engine and the backends: starting a lab with the run's
 * settings, choosing the run's backend, and booting and stopping the run's VM. The extension and
 * the launcher listener reach those internals through here and nowhere else, so that when the
 * engine's packages move, this is the one file of the JUnit module that follows them.
 */
public final class EngineAccess {

    private EngineAccess() {
    }

    /** Builds {@code spec} on {@code backend}, reading timeouts and options from {@code settings}. */
    public static Lab start(LabSpec spec, Backend backend, Settings settings) {
        return ApiAccess.start(spec, backend, settings);
    }

    /**
     * The backend {@code netnslab.backend} names, connected or probed.
     *
     * @throws dev.netnslab.backend.BackendUnavailableException when it cannot be used here
     * @throws IllegalArgumentException when {@code netnslab.backend} holds an unknown value
     */
    public static Backend selectBackend(Settings settings) {
        return Backends.select(settings);
    }

    /** Starts booting the run's VM in the background when the settings choose the qemu backend. */
    public static void bootVmEarly(Settings settings) {
        QemuVms.bootEarly(settings);
    }

    /** Stops the run's VM, unless it is kept. */
    public static void stopVms() {
        QemuVms.stopAll();
    }
}
