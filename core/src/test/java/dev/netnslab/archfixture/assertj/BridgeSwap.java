package dev.netnslab.archfixture.assertj;

import dev.netnslab.archfixture.internal.engine.ApiBridge;

/** Broken: installs the bridge from outside Lab. */
public final class BridgeSwap {

    void swap() {
        ApiBridge.install(new Object());
    }
}
