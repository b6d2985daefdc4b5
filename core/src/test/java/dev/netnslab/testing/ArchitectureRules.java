package dev.netnslab.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.elements.ClassesShould;
import com.tngtech.archunit.lang.syntax.elements.ClassesShouldConjunction;
import java.nio.file.Path;
import java.util.List;

/**
 * The package rules of {@code docs/architecture.md}, as ArchUnit rules over one package tree.
 *
 * <p>{@link #NETNSLAB} holds them for the library ({@code dev.netnslab}). Each rule is defined once, in
 * the constructor, over a root package; {@code ArchitectureTest} builds the same definitions over the
 * fixture tree {@code dev.netnslab.archfixture}, which breaks each rule on purpose, to prove that every
 * rule fails when broken: a rule that cannot fail keeps nothing. Each rule says why it exists and what
 * to do instead, so its failure message does too.
 */
public final class ArchitectureRules {

    /** The API package's handles: each wraps one engine object. */
    private static final List<String> HANDLES =
            List.of("Lab", "Namespace", "Link", "InboundLink", "Partition", "Connections", "Capture");

    /** The rules for the library itself. */
    public static final ArchitectureRules NETNSLAB = new ArchitectureRules("dev.netnslab");

    /** Every package under {@code internal} is a slice of its own: {@code backend} and {@code backend.local} are two. */
    public final ArchRule noCyclesBetweenInternalPackages;

    /** The exported packages reach a backend through the {@code Backend} SPI or the selection in {@code internal.backend}. */
    public final ArchRule apiDoesNotDependOnConcreteBackends;

    /** Only a backend starts an operating-system process. */
    public final ArchRule onlyBackendsStartProcesses;

    /** Validation, rendering, topology files, fault rules and diagrams run anywhere, without a kernel. */
    public final ArchRule purePackagesStayPure;

    /** Code outside the backends asks the {@code Kernel} what it can do, never which backend it has. */
    public final ArchRule onlyBackendsAndTheDoctorKnowConcreteBackends;

    /** In the API package, the handles alone wrap engine objects. */
    public final ArchRule onlyHandlesInTheApiPackageUseTheEngine;

    /** {@code ApiBridge.install} is called once, by {@code Lab}. */
    public final ArchRule onlyLabInstallsTheApiBridge;

    private final String root;

    /** The rules over the package tree below {@code root}, laid out as the library's is. */
    public ArchitectureRules(String root) {
        this.root = root;
        String internal = root + ".internal";
        String[] api = {root, root + ".assertj", root + ".backend", root + ".junit"};
        String[] concreteBackends = {
            internal + ".backend.local..", internal + ".backend.rootless..",
            internal + ".backend.ssh..", internal + ".backend.vm.."
        };
        String[] pure = {
            internal + ".topology..",
            internal + ".iproute..",
            internal + ".files..",
            internal + ".fault..",
            internal + ".diagram.."
        };

        noCyclesBetweenInternalPackages = slices().matching(internal + ".(**)")
                .namingSlices("internal.$1")
                .should()
                .beFreeOfCycles()
                .as("no cycles between the packages under " + internal)
                .because("data flows one way (spec, validate, render, run, handles, assertions); a cycle makes"
                        + " two packages one, which can then be neither tested nor replaced alone."
                        + " Move the shared type down to the package both use");

        apiDoesNotDependOnConcreteBackends = noClasses()
                .that()
                .resideInAnyPackage(api)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concreteBackends)
                .as("the API packages " + String.join(", ", api) + " do not depend on a concrete backend")
                .because("users choose a kernel through the Backend SPI and netnslab.backend; the API reaches"
                        + " a backend through Backend or internal.backend.Backends, never one backend's classes");

        onlyBackendsStartProcesses = startProcesses(noClasses()
                        .that()
                        .resideOutsideOfPackage(internal + ".backend..")
                        .should())
                .as("only classes in " + internal + ".backend.. start processes")
                .because("every command goes through a backend's CommandRunner, so that the same lab runs"
                        + " locally, rootless, over SSH or in a VM, and a command started elsewhere runs on the"
                        + " wrong machine. Run it through the Kernel's runner instead");

        purePackagesStayPure = startProcesses(noClasses()
                        .that()
                        .resideInAnyPackage(pure)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(internal + ".exec..", internal + ".engine..", internal + ".backend..")
                        .orShould())
                .as("the pure packages " + String.join(", ", pure) + " neither depend on exec, engine or a"
                        + " backend nor start processes")
                .because("they are unit-tested without root or a kernel, and validation happens before anything"
                        + " touches the system. Put what runs commands in internal.engine or a backend");

        onlyBackendsAndTheDoctorKnowConcreteBackends = noClasses()
                .that()
                .resideOutsideOfPackages(internal + ".backend..", internal + ".cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concreteBackends)
                .as("no class outside " + internal + ".backend.. and " + internal + ".cli depends on a concrete"
                        + " backend")
                .because("the rest of the library asks the Kernel what it can do (run Java in a namespace,"
                        + " share this JVM, need ownership records), so a new backend changes one package;"
                        + " only the doctor probes the backends by name, on purpose. Add a Kernel capability");

        onlyHandlesInTheApiPackageUseTheEngine = noClasses()
                .that()
                .resideInAPackage(root)
                .and(not(handles()))
                .should()
                .dependOnClassesThat()
                .resideInAPackage(internal + ".engine..")
                .as("in " + root + ", only the handles " + HANDLES + " depend on " + internal + ".engine")
                .because("specs, options, results and state records are plain values that users build and"
                        + " compare; the handles are the thin wrappers, one engine object each");

        onlyLabInstallsTheApiBridge = noClasses()
                .that(not(belongToHandle("Lab")))
                .should()
                .callMethodWhere(call(internal + ".engine.ApiBridge", "install"))
                .as("only " + root + ".Lab calls ApiBridge.install")
                .because("the bridge from handles to engine objects is installed once, when Lab is loaded;"
                        + " a second installer could hand the assertions and the extension other objects");
    }

    /** The classes compiled into {@code classes} (a module's {@code target/classes}), without tests or libraries. */
    public static JavaClasses importCompiled(Path classes) {
        return new ClassFileImporter().importPath(classes);
    }

    /** {@code should} start a process: use ProcessBuilder, call Runtime.exec or use zt-exec. */
    private static ClassesShouldConjunction startProcesses(ClassesShould should) {
        return should.dependOnClassesThat(belongToAnyOf(ProcessBuilder.class))
                .orShould()
                .callMethodWhere(call(Runtime.class.getName(), "exec"))
                .orShould()
                .dependOnClassesThat(resideInAPackage("org.zeroturnaround.exec.."));
    }

    private DescribedPredicate<JavaClass> handles() {
        return DescribedPredicate.describe(
                "a handle",
                type -> HANDLES.stream().anyMatch(h -> belongToHandle(h).test(type)));
    }

    /** The handle {@code simpleName} in the root package, with its nested and anonymous classes. */
    private DescribedPredicate<JavaClass> belongToHandle(String simpleName) {
        String name = root + "." + simpleName;
        return DescribedPredicate.describe(
                name, type -> type.getName().equals(name) || type.getName().startsWith(name + "$"));
    }

    private static DescribedPredicate<JavaMethodCall> call(String owner, String method) {
        return DescribedPredicate.describe(
                owner + "." + method + "(..)",
                call -> call.getName().equals(method)
                        && call.getTargetOwner().getName().equals(owner));
    }
}
