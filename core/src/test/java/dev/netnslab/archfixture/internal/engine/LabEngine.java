package dev.netnslab.archfixture.internal.engine;

import dev.netnslab.archfixture.internal.exec.Kernel;
import dev.netnslab.archfixture.internal.probe.Probe;

/** Broken: half of a cycle with internal.probe. Allowed: using the Kernel. */
public final class LabEngine {

    Kernel kernel;

    boolean reaches(String address) {
        return new Probe().ping(this, address);
    }
}
