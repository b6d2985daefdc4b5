package dev.netnslab.archfixture.internal.topology;

import dev.netnslab.archfixture.internal.exec.Kernel;

/** Broken: a pure package that depends on internal.exec. */
public final class Topology {

    Kernel kernel;
}
