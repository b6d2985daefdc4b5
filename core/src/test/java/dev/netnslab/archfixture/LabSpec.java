package dev.netnslab.archfixture;

import dev.netnslab.archfixture.internal.engine.LabEngine;

/** Broken: a value of the API package that reaches into the engine. */
public final class LabSpec {

    LabEngine start() {
        return new LabEngine();
    }
}
