package dev.netnslab.internal.engine;

import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.exec.Kernel;

/** A kernel for pure tests of the engine: it runs no command; tests override what they ask of it. */
abstract class FakeKernel implements Kernel {

    @Override
    public CommandRunner runner() {
        throw new UnsupportedOperationException("no commands in this test");
    }

    @Override
    public String name() {
        return "fake";
    }
}
