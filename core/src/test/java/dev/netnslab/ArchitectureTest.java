package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.netnslab.testing.ArchitectureRules;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md hold for core's classes, and each of them fails on a
 * fixture tree that breaks it, naming the class that does and none that is allowed.
 */
@DisplayName("core's package rules")
class ArchitectureTest {

    private static final JavaClasses CORE =
            ArchitectureRules.importCompiled(Path.of(System.getProperty("basedir", "."), "target", "classes"));

    private static final ArchitectureRules RULES = ArchitectureRules.NETNSLAB;

    @Test
    @DisplayName("the import sees core's packages (a rule over no classes would pass on anything)")
    void importsCore() {
        assertThat(CORE.containPackage("dev.netnslab.internal.engine")).isTrue();
        assertThat(CORE.containPackage("dev.netnslab.internal.backend.local")).isTrue();
        assertThat(CORE.contain(Lab.class)).isTrue();
    }

    @Test
    @DisplayName("no cycles between the packages under dev.netnslab.internal")
    void noCycles() {
        RULES.noCyclesBetweenInternalPackages.check(CORE);
    }

    @Test
    @DisplayName("the API packages do not depend on a concrete backend")
    void apiWithoutConcreteBackends() {
        RULES.apiDoesNotDependOnConcreteBackends.check(CORE);
    }

    @Test
    @DisplayName("only the backend packages start processes")
    void onlyBackendsStartProcesses() {
        RULES.onlyBackendsStartProcesses.check(CORE);
    }

    @Test
    @DisplayName("topology, iproute, fault and diagram stay pure")
    void purePackages() {
        RULES.purePackagesStayPure.check(CORE);
    }

    @Test
    @DisplayName("outside the backends and the doctor, no class knows a concrete backend")
    void concreteBackendsStayInside() {
        RULES.onlyBackendsAndTheDoctorKnowConcreteBackends.check(CORE);
    }

    @Test
    @DisplayName("in dev.netnslab, only the handles use the engine")
    void onlyHandlesUseTheEngine() {
        RULES.onlyHandlesInTheApiPackageUseTheEngine.check(CORE);
    }

    @Test
    @DisplayName("only Lab installs the ApiBridge")
    void onlyLabInstallsTheBridge() {
        RULES.onlyLabInstallsTheApiBridge.check(CORE);
    }

    /** The same rule definitions over {@code dev.netnslab.archfixture}, which breaks each on purpose. */
    @Nested
    @DisplayName("each rule fails when broken")
    class WhenBroken {

        private static final String FIXTURE = "dev.netnslab.archfixture";

        private final JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE);

        private final ArchitectureRules rules = new ArchitectureRules(FIXTURE);

        @Test
        @DisplayName("a cycle between internal.engine and internal.probe")
        void cycle() {
            violation(rules.noCyclesBetweenInternalPackages)
                    .hasMessageContaining(
                            "<" + FIXTURE + ".internal.engine.LabEngine.reaches(java.lang.String)> calls method <"
                                    + FIXTURE + ".internal.probe.Probe.ping(")
                    .hasMessageContaining("<" + FIXTURE + ".internal.probe.Probe.ping(" + FIXTURE
                            + ".internal.engine.LabEngine, java.lang.String)> has parameter of type <" + FIXTURE
                            + ".internal.engine.LabEngine>")
                    .hasMessageNotContaining(".internal.backend.");
        }

        @Test
        @DisplayName("an assertion that depends on the local backend")
        void apiOnConcreteBackend() {
            violation(rules.apiDoesNotDependOnConcreteBackends)
                    .hasMessageContaining(
                            "<" + FIXTURE + ".assertj.LocalAssert.isLocal(java.lang.Object)> checks instanceof <"
                                    + FIXTURE + ".internal.backend.local.LocalBackend>")
                    .hasMessageNotContaining("Doctor");
        }

        @Test
        @DisplayName("Runtime.exec and zt-exec outside the backends")
        void processesOutsideBackends() {
            violation(rules.onlyBackendsStartProcesses)
                    .hasMessageContaining(
                            "<" + FIXTURE + ".internal.reaper.Sweep.sweep()> calls method <java.lang.Runtime.exec(")
                    .hasMessageContaining(
                            "<" + FIXTURE
                                    + ".internal.diagnostics.Trace.traceroute(java.lang.String)> calls constructor <org.zeroturnaround.exec.ProcessExecutor.<init>()>")
                    .hasMessageContaining(
                            "<" + FIXTURE
                                    + ".internal.iproute.Render.check(java.lang.String)> calls constructor <java.lang.ProcessBuilder.<init>(")
                    .hasMessageNotContaining("LocalBackend");
        }

        @Test
        @DisplayName("a pure package that depends on internal.exec, and one that starts a process")
        void impurePackages() {
            violation(rules.purePackagesStayPure)
                    .hasMessageContaining("Field <" + FIXTURE + ".internal.topology.Topology.kernel> has type <"
                            + FIXTURE + ".internal.exec.Kernel>")
                    .hasMessageContaining(
                            "<" + FIXTURE
                                    + ".internal.iproute.Render.check(java.lang.String)> calls constructor <java.lang.ProcessBuilder.<init>(")
                    .hasMessageNotContaining("Sweep");
        }

        @Test
        @DisplayName("the engine asking whether it runs over SSH")
        void concreteBackendOutside() {
            violation(rules.onlyBackendsAndTheDoctorKnowConcreteBackends)
                    .hasMessageContaining("<" + FIXTURE
                            + ".internal.engine.BackendSniffer.overSsh(java.lang.Object)> checks instanceof <" + FIXTURE
                            + ".internal.backend.ssh.SshBackend>")
                    .hasMessageNotContaining("Doctor")
                    .hasMessageNotContaining("VmBackend");
        }

        @Test
        @DisplayName("a spec that reaches into the engine")
        void valueUsesTheEngine() {
            violation(rules.onlyHandlesInTheApiPackageUseTheEngine)
                    .hasMessageContaining("<" + FIXTURE + ".LabSpec.start()> calls constructor <" + FIXTURE
                            + ".internal.engine.LabEngine.<init>()>")
                    .hasMessageNotContaining("<" + FIXTURE + ".Lab.");
        }

        @Test
        @DisplayName("an assertion class that installs the bridge")
        void bridgeInstalledElsewhere() {
            violation(rules.onlyLabInstallsTheApiBridge)
                    .hasMessageContaining("<" + FIXTURE + ".assertj.BridgeSwap.swap()> calls method <" + FIXTURE
                            + ".internal.engine.ApiBridge.install(java.lang.Object)>")
                    .hasMessageNotContaining("<" + FIXTURE + ".Lab.");
        }

        private AbstractThrowableAssert<?, ? extends Throwable> violation(ArchRule rule) {
            return assertThatThrownBy(() -> rule.check(fixture))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Rule '" + rule.getDescription() + "' was violated");
        }
    }
}
