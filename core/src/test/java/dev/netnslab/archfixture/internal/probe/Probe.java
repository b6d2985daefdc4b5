package dev.netnslab.archfixture.internal.probe;

import dev.netnslab.archfixture.internal.engine.LabEngine;

/** Broken: the other half of the cycle with internal.engine. */
public final class Probe {

    public boolean ping(LabEngine engine, String address) {
        return engine != null && !address.isEmpty();
    }
}
