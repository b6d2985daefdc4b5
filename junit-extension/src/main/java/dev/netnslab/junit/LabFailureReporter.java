package dev.netnslab.junit;

import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.internal.engine.LabEngine;

import dev.netnslab.internal.settings.Setting;

import dev.netnslab.Capture;
import dev.netnslab.Lab;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.internal.diagnostics.LabReport;
import dev.netnslab.internal.diagram.LabDiagram;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * When a test (or one of its lifecycle methods) fails, reads the state of every open lab of that
 * test before teardown and attaches it: to the failure as a suppressed {@link LabDiagnostics}, and
 * as report entries. With {@code netnslab.keepOnFailure=true} it also keeps the lab: when the
 * declaring scope ends, the lab is taken out of the store so nothing closes it, and the commands to
 * enter and delete it are printed.
 *
 * <p>It never replaces or swallows the failure: every handler rethrows the throwable it was given.
 */
final class LabFailureReporter implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler,
        AfterEachCallback, AfterAllCallback {

    private static final Logger LOG = System.getLogger("dev.netnslab.junit");
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LabFailureReporter.class);

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        keepIfMarked(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        keepIfMarked(context);
    }

    /** Attaches the state of every open lab of {@code context} to {@code failure}, and returns {@code failure}. */
    private static Throwable report(ExtensionContext context, Throwable failure) {
        if (failure instanceof TestAbortedException) {
            return failure; // a skipped test did not fail: nothing to diagnose
        }
        Settings settings = Settings.from(context::getConfigurationParameter);
        boolean keep;
        boolean diagnostics;
        try {
            keep = settings.get(Setting.KEEP_ON_FAILURE);
            diagnostics = settings.get(Setting.DIAGNOSTICS);
        } catch (IllegalArgumentException e) {
            failure.addSuppressed(e);
            return failure;
        }
        for (NetnsLabExtension.DeclaredLab declared : NetnsLabExtension.openLabs(context)) {
            Lab lab = declared.lab();
            if (lab.isClosed()) {
                continue;
            }
            // A shared lab serves other classes too, and only the end of the run closes it: never keep it.
            boolean keepThis = keep && declared.declaring() != context.getRoot();
            try {
                attach(context, failure, lab, diagnostics, keepThis);
                if (keepThis) {
                    declared.declaring().getStore(STORE).put(lab.id(), Boolean.TRUE);
                }
            } catch (RuntimeException e) {
                // Diagnostics must never cost the user the real failure.
                failure.addSuppressed(e);
            }
        }
        return failure;
    }

    private static void attach(ExtensionContext context, Throwable failure, Lab lab, boolean diagnostics, boolean keep) {
        Map<String, String> entries = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        if (diagnostics) {
            LabEngine engine = ApiBridge.engine(lab);
            text.append(LabReport.capture(engine).text());
            Path svg = LabDiagram.of(engine.topology(), engine.faults().notes()).writeSvg(lab.outputDirectory().resolve(lab.id() + ".svg"));
            text.append("diagram (SVG): ").append(svg).append('\n');
            entries.put("netnslab.lab." + lab.id(), text.toString());
            entries.put("netnslab.diagram." + lab.id(), svg.toString());
            if (!lab.captures().isEmpty()) {
                entries.put("netnslab.captures." + lab.id(), lab.captures().stream()
                        .map(Capture::path).map(Path::toString).collect(Collectors.joining("\n")));
            }
        }
        if (keep) {
            String instructions = LabReport.keepInstructions(ApiBridge.engine(lab));
            text.append(diagnostics ? "\n" : "").append(instructions);
            entries.put("netnslab.kept." + lab.id(), instructions);
        }
        if (text.length() > 0) {
            failure.addSuppressed(new LabDiagnostics(text.toString()));
            context.publishReportEntry(entries);
        }
    }

    /** At the end of the scope that declared a lab marked to keep: take it out of the store and say how to enter it. */
    private static void keepIfMarked(ExtensionContext context) {
        for (NetnsLabExtension.DeclaredLab declared : NetnsLabExtension.openLabs(context)) {
            if (declared.declaring() == context && context.getStore(STORE).get(declared.lab().id()) != null) {
                NetnsLabExtension.release(context);
                // Without its ownership record, the lab outlives this JVM: no watchdog or sweep removes it.
                declared.lab().keep();
                LOG.log(Level.WARNING, "netns-lab: " + LabReport.keepInstructions(ApiBridge.engine(declared.lab())));
            }
        }
    }
}
