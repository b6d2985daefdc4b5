package dev.netnslab.internal.junit;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.backend.Backends;
import dev.netnslab.internal.diagnostics.LabReport;
import dev.netnslab.internal.diagram.LabDiagram;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.engine.SpanningLab;
import dev.netnslab.internal.settings.Settings;
import java.nio.file.Path;

/**
 * The JUnit module's only door into the engine and the backends: starting a lab with the run's
 * settings, choosing the run's backend, booting and stopping the run's VM, and reading a lab for a
 * failure report. The extension and
 * the launcher listener reach those internals through here and nowhere else, so that when the
 * engine's packages move, this is the one file of the JUnit module that follows them.
 */
public final class EngineAccess {

    private EngineAccess() {}

    /** Builds {@code spec} on {@code backend}, reading timeouts and options from {@code settings}. */
    public static Lab start(LabSpec spec, Backend backend, Settings settings) {
        return ApiBridge.start(spec, backend, settings);
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
        Backends.prepareEarly(settings);
    }

    /** Stops the run's VM, unless it is kept. */
    public static void stopVms() {
        Backends.stopPrepared();
    }

    /** The state of every namespace of {@code lab}, read now, as text. */
    public static String report(Lab lab) {
        return LabReport.capture(ApiBridge.parts(lab)).text();
    }

    /** Draws {@code lab}, with the faults active now, into the SVG file {@code file}. */
    public static Path writeDiagram(Lab lab, Path file) {
        SpanningLab parts = ApiBridge.parts(lab);
        return LabDiagram.of(parts.topology(), parts.faultNotes(), parts::kernelOf)
                .writeSvg(file);
    }

    /** The commands that enter and delete a lab that was kept. */
    public static String keepInstructions(Lab lab) {
        return LabReport.keepInstructions(ApiBridge.parts(lab));
    }
}
