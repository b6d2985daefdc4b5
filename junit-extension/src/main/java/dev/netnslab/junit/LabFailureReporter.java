package dev.netnslab.junit;

import dev.netnslab.Capture;
import dev.netnslab.Lab;
import dev.netnslab.internal.junit.EngineAccess;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * When a test (or one of its lifecycle methods) fails, reads the state of its open labs before
 * teardown and attaches it: to the failure as a suppressed {@link LabDiagnostics}, one per lab,
 * and as report entries. With {@code netnslab.keepOnFailure=true} it also marks each of those labs
 * (except one shared by the run) to be kept when its context ends, and says how to enter it.
 *
 * <p>It never replaces or swallows the failure: it returns the throwable it was given.
 */
final class LabFailureReporter {

    private LabFailureReporter() {}

    /**
     * Attaches the state of {@code labs} (nearest first) to {@code failure}, and returns {@code failure}.
     * A lab whose state the failure carries already (another registration saw it first) is skipped.
     */
    static Throwable report(ExtensionContext context, Throwable failure, List<LabResource> labs) {
        if (failure instanceof TestAbortedException) {
            return failure; // a skipped test did not fail: nothing to diagnose
        }
        Settings settings = RunBackend.settings(context);
        boolean keep;
        boolean diagnostics;
        try {
            keep = settings.get(Setting.KEEP_ON_FAILURE);
            diagnostics = settings.get(Setting.DIAGNOSTICS);
        } catch (IllegalArgumentException e) {
            failure.addSuppressed(e);
            return failure;
        }
        for (LabResource resource : labs) {
            Lab lab = resource.lab();
            if (lab.isClosed() || carries(failure, lab)) {
                continue;
            }
            boolean keepThis = keep && !resource.sharedByRun();
            try {
                attach(context, failure, lab, diagnostics, keepThis);
                if (keepThis) {
                    resource.keepOnClose();
                }
            } catch (RuntimeException e) {
                // Diagnostics must never cost the user the real failure.
                failure.addSuppressed(e);
            }
        }
        return failure;
    }

    private static boolean carries(Throwable failure, Lab lab) {
        return Arrays.stream(failure.getSuppressed())
                .anyMatch(s -> s instanceof LabDiagnostics diagnostics
                        && diagnostics.labId().equals(lab.id()));
    }

    private static void attach(
            ExtensionContext context, Throwable failure, Lab lab, boolean diagnostics, boolean keep) {
        Map<String, String> entries = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        if (diagnostics) {
            text.append(EngineAccess.report(lab));
            Path svg = EngineAccess.writeDiagram(lab, lab.outputDirectory().resolve(lab.id() + ".svg"));
            text.append("diagram (SVG): ").append(svg).append('\n');
            entries.put("netnslab.lab." + lab.id(), text.toString());
            entries.put("netnslab.diagram." + lab.id(), svg.toString());
            if (!lab.captures().isEmpty()) {
                entries.put(
                        "netnslab.captures." + lab.id(),
                        lab.captures().stream()
                                .map(Capture::path)
                                .map(Path::toString)
                                .collect(Collectors.joining("\n")));
            }
        }
        if (keep) {
            String instructions = EngineAccess.keepInstructions(lab);
            text.append(diagnostics ? "\n" : "").append(instructions);
            entries.put("netnslab.kept." + lab.id(), instructions);
        }
        if (text.length() > 0) {
            failure.addSuppressed(new LabDiagnostics(lab.id(), text.toString()));
            context.publishReportEntry(entries);
        }
    }
}
