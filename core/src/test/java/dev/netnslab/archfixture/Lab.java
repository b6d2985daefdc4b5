package dev.netnslab.archfixture;

import dev.netnslab.archfixture.internal.engine.ApiBridge;
import dev.netnslab.archfixture.internal.engine.LabEngine;

/** Allowed: a handle wraps an engine object and installs the bridge. */
public final class Lab {

    static {
        ApiBridge.install(new Object());
    }

    private final LabEngine engine = new LabEngine();

    LabEngine engine() {
        return engine;
    }
}
