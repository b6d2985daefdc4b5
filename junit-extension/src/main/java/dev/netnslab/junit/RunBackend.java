package dev.netnslab.junit;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.backend.Backend;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.junit.EngineAccess;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * The backend of one test run, in the root store: chosen once, when the first lab needs it, and
 * closed by the root store when the run ends. A failure to get one is remembered as well, so every
 * lab of the run reports the same reason instead of probing again.
 */
final class RunBackend implements AutoCloseable {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(RunBackend.class);

    private final Settings settings;
    private Backend backend;
    private RuntimeException failure;
    private boolean skip;
    private boolean chosen;

    private RunBackend(Settings settings) {
        this.settings = settings;
    }

    /**
     * The run's holder. It enters the root store before any lab is built, choosing nothing yet:
     * the root store closes its values in reverse order, so a lab shared by the whole run (kept
     * there too) is closed before the backend it runs on, and a spec is still validated before
     * anything is probed.
     */
    static RunBackend of(ExtensionContext context) {
        return context.getRoot()
                .getStore(STORE)
                .getOrComputeIfAbsent(RunBackend.class, key -> new RunBackend(settings(context)), RunBackend.class);
    }

    /** The settings of {@code context}: its configuration parameters, then the usual fallbacks. */
    static Settings settings(ExtensionContext context) {
        return Settings.from(context::getConfigurationParameter);
    }

    /**
     * Builds {@code spec} on the run's backend with the settings of {@code context}.
     *
     * @throws TestAbortedException when no backend is usable and {@code netnslab.skipWhenUnavailable=true}
     */
    Lab start(LabSpec spec, ExtensionContext context) {
        return EngineAccess.start(spec, backend(), settings(context));
    }

    private synchronized Backend backend() {
        if (!chosen) {
            choose();
            chosen = true;
        }
        if (failure != null) {
            if (skip) {
                throw new TestAbortedException("Skipped because " + Setting.SKIP_WHEN_UNAVAILABLE
                        + "=true and no usable kernel was found: " + failure.getMessage());
            }
            throw failure;
        }
        return backend;
    }

    private void choose() {
        try {
            skip = settings.get(Setting.SKIP_WHEN_UNAVAILABLE);
            backend = EngineAccess.selectBackend(settings);
        } catch (BackendUnavailableException e) {
            failure = e;
        } catch (IllegalArgumentException e) {
            // A setting with a bad value is a mistake to fix, never a reason to skip.
            failure = new ExtensionConfigurationException(e.getMessage(), e);
            skip = false;
        } catch (RuntimeException e) {
            // A backend that exists but fails (an untrusted host key, no sudo) is never skipped either.
            failure = e;
            skip = false;
        }
    }

    @Override
    public synchronized void close() {
        if (backend != null) {
            backend.close();
        }
    }
}
