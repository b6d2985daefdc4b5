package dev.netnslab.internal.engine;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.internal.topology.Placement;
import dev.netnslab.internal.topology.Topology;

/**
 * The one way back from the API's handles to the engine objects they wrap, for the library's own
 * code outside package {@code dev.netnslab} (the assertions, the JUnit extension). The handles keep
 * their engine objects private so that users cannot reach them; {@link Lab} installs the
 * implementation when it is loaded. Nothing here is exported to users.
 */
public final class ApiBridge {

    /** What the API package hands its own internals. */
    public interface Api {
        /** The engine object behind {@code lab}. */
        LabEngine engine(Lab lab);

        /** The engine object behind {@code ns}. */
        LabNamespace engine(Namespace ns);

        /** The validated topology behind {@code spec}. */
        Topology topology(LabSpec spec);

        /** The user's handle on a lab the engine has built from {@code spec}. */
        Lab handle(LabSpec spec, LabEngine engine);

        /** Which kernel each namespace of {@code spec} runs on. */
        Placement placement(LabSpec spec);

        /** The user's handle on a lab, on one kernel or several, that the engine has built from {@code spec}. */
        Lab handle(LabSpec spec, SpanningLab lab);

        /** Every kernel's part of {@code lab}. */
        SpanningLab parts(Lab lab);
    }

    private static volatile Api api;

    private ApiBridge() {}

    /**
     * Called once, by {@link Lab}.
     *
     * @throws IllegalStateException on a second call
     */
    public static synchronized void install(Api implementation) {
        if (api != null) {
            throw new IllegalStateException("ApiBridge is installed already");
        }
        api = implementation;
    }

    /** The engine object behind {@code lab}. */
    public static LabEngine engine(Lab lab) {
        return api().engine(lab);
    }

    /** The engine object behind {@code ns}. */
    public static LabNamespace engine(Namespace ns) {
        return api().engine(ns);
    }

    /** The validated topology behind {@code spec}. */
    public static Topology topology(LabSpec spec) {
        return api().topology(spec);
    }

    /**
     * Builds {@code spec} on {@code backend} with {@code settings}, as the JUnit extension does with its
     * configuration parameters. The backend stays open.
     */
    public static Lab start(LabSpec spec, Backend backend, Settings settings) {
        Placement placement = api().placement(spec);
        if (!placement.isSingleKernel()) {
            // The other kernels come from netnslab.kernels.<name>, so that a topology class spans kernels without code.
            return api().handle(
                            spec, LabKernels.start(topology(spec), placement, java.util.Map.of(), backend, settings));
        }
        return api().handle(spec, LabEngine.start(topology(spec), Kernel.of(backend), settings));
    }

    /** Which kernel each namespace of {@code spec} runs on. */
    public static Placement placement(LabSpec spec) {
        return api().placement(spec);
    }

    /** Every kernel's part of {@code lab}: one for a lab on one kernel. */
    public static SpanningLab parts(Lab lab) {
        return api().parts(lab);
    }

    private static Api api() {
        Api installed = api;
        if (installed == null) {
            try {
                // Loading Lab runs its static initialiser, which installs the implementation.
                Class.forName(Lab.class.getName(), true, Lab.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            installed = api;
        }
        return installed;
    }
}
