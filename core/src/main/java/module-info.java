/**
 * netns-lab core: real Linux network-namespace labs, built from a {@link dev.netnslab.LabSpec},
 * checked with AssertJ, torn down without a trace. Knows nothing of JUnit.
 *
 * <p>The API is the three exported packages: {@code dev.netnslab} (labs, specs, handles, state),
 * {@code dev.netnslab.assertj} (assertions) and {@code dev.netnslab.backend} (the backend SPI).
 * Everything under {@code dev.netnslab.internal} is the engine behind them; it may change in any
 * release, and only netns-lab's own JUnit extension may use it.
 */
module dev.netnslab.core {
    requires transitive org.assertj.core;
    requires org.zeroturnaround.exec;
    requires com.jcraft.jsch;
    // setns(2), for Java code and checks that run inside a namespace (Namespace.call).
    requires com.sun.jna;
    // containerlab topology files (LabSpec.fromContainerlab): read as a node tree, never as objects.
    requires org.yaml.snakeyaml;
    // The command line quiets java.util.logging (where System.Logger goes by default) for its own run.
    requires java.logging;

    exports dev.netnslab;
    exports dev.netnslab.assertj;
    exports dev.netnslab.backend;
    exports dev.netnslab.internal.backend to
            dev.netnslab.junit;
    exports dev.netnslab.internal.diagnostics to
            dev.netnslab.junit;
    exports dev.netnslab.internal.diagram to
            dev.netnslab.junit;
    exports dev.netnslab.internal.engine to
            dev.netnslab.junit;
    exports dev.netnslab.internal.settings to
            dev.netnslab.junit;
}
