package dev.netnslab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.CompositeArchRule;
import dev.netnslab.testing.ArchitectureRules;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The JUnit module keeps core's package rules: it is thin, so it starts no process, knows no concrete
 * backend and reaches the engine through the bridge that {@code Lab} installs, never installing its own.
 * Core's {@code ArchitectureTest} shows that each of these rules fails when broken.
 */
@DisplayName("the JUnit module's package rules")
class ArchitectureTest {

    private static final JavaClasses JUNIT =
            ArchitectureRules.importCompiled(Path.of(System.getProperty("basedir", "."), "target", "classes"));

    @Test
    @DisplayName("the import sees the module's classes (a rule over no classes would pass on anything)")
    void importsTheModule() {
        assertThat(JUNIT.contain(NetnsLabExtension.class)).isTrue();
        assertThat(JUNIT.containPackage("dev.netnslab.internal.junit")).isTrue();
    }

    @Test
    @DisplayName("core's rules on processes, concrete backends and the bridge hold for the extension's classes")
    void coreRulesHold() {
        // The rules on pure packages and on the API package's handles have no class here to check.
        ArchitectureRules rules = ArchitectureRules.NETNSLAB;
        CompositeArchRule.of(rules.onlyBackendsStartProcesses)
                .and(rules.apiDoesNotDependOnConcreteBackends)
                .and(rules.onlyBackendsAndTheDoctorKnowConcreteBackends)
                .and(rules.onlyLabInstallsTheApiBridge)
                .check(JUNIT);
    }
}
