package dev.netnslab.junit;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.ModifierSupport;

/**
 * Builds a network-namespace lab for a test class or method, injects {@link Lab} and
 * {@link Namespace} handles, attaches the lab's state to failures, and tears the lab down.
 *
 * <h2>Three ways in</h2>
 * <pre>{@code
 * @NetnsLab(ns = "netns1", ip = "10.200.1.1")           // 1. the annotation, with its attributes
 * class SeedTest { ... }
 *
 * @ExtendWith(NetnsLabExtension.class)                  // 2. the extension: @NetnsLab's defaults,
 * class DefaultsTest { ... }                           //    or the @NetnsLab next to it
 *
 * class ComputedTest {                                 // 3. a lab computed in code
 *     @RegisterExtension
 *     static NetnsLabExtension lab = NetnsLabExtension.of(LabSpec.builder()...build());
 *
 *     @Test
 *     void reach(Namespace ns) {
 *         assertThat(lab.lab().host()).canPing(ns.address());
 *     }
 * }
 * }</pre>
 *
 * <p>With {@code @RegisterExtension}, a {@code static} field gives one lab for the class (built
 * before all tests, torn down after all of them; its {@code @Nested} classes use it too) and an
 * instance field one lab per test instance: per test by default, per class under
 * {@code @TestInstance(PER_CLASS)}, where one instance serves every test. Use one way per test
 * class: two registrations would compete to resolve the same parameters.
 *
 * <p>The ways differ only in where the lab's spec comes from and which context declares it. Then
 * they take one path: the lab is built on first use and kept in the JUnit store of the context
 * that declared it, which closes it when that context ends, as JUnit's {@code @TempDir} does. See
 * {@link NetnsLab} for scope, sharing, injection, failure reports and configuration.
 */
public final class NetnsLabExtension
        implements BeforeAllCallback,
                BeforeEachCallback,
                ParameterResolver,
                TestExecutionExceptionHandler,
                LifecycleMethodExecutionExceptionHandler,
                AfterEachCallback,
                AfterAllCallback {

    /** {@code @NetnsLab}'s defaults, read from the annotation itself so they are written down once. */
    @NetnsLab
    private static final class Defaults {}

    static final NetnsLab DEFAULTS = Defaults.class.getAnnotation(NetnsLab.class);

    private final LabSource source;
    /** What {@link #lab()} answers from: test code calls it without a context to look in. */
    private final RunningLabs running = new RunningLabs();

    /**
     * The extension that {@link NetnsLab @NetnsLab} and {@code @ExtendWith(NetnsLabExtension.class)}
     * register: it reads the nearest {@code @NetnsLab}, or uses its defaults when there is none.
     * Held by a {@code @RegisterExtension} field with no annotation in sight, it builds the defaults,
     * one lab per class or per test like {@link #of(LabSpec)}.
     */
    public NetnsLabExtension() {
        this(LabSource.nearestAnnotation());
    }

    private NetnsLabExtension(LabSource source) {
        this.source = source;
    }

    /**
     * An extension for a {@code @RegisterExtension} field that builds {@code spec}: on a static field
     * one lab per class, on an instance field one lab per test.
     *
     * <pre>{@code
     * @RegisterExtension
     * static NetnsLabExtension lab = NetnsLabExtension.of(LabSpec.singleNamespace("web", "10.7.0.2/24", null));
     * }</pre>
     *
     * @throws NullPointerException when {@code spec} is null
     */
    public static NetnsLabExtension of(LabSpec spec) {
        Objects.requireNonNull(
                spec, "spec must not be null; build one with LabSpec.builder() or LabSpec.singleNamespace(...)");
        return new NetnsLabExtension(LabSource.spec(spec));
    }

    /**
     * An extension for a {@code @RegisterExtension} field that builds the lab {@code topology}
     * defines, as {@code @NetnsLab(topology = ...)} does.
     *
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException when the class cannot
     *         be instantiated or its {@code define()} fails (reported when the lab is first needed)
     */
    public static NetnsLabExtension of(Class<? extends LabTopology> topology) {
        Objects.requireNonNull(topology, "topology must not be null; pass a class that implements LabTopology");
        return new NetnsLabExtension(LabSource.topology(topology));
    }

    /**
     * The running lab of this registration: for a static field the class's lab, for an instance
     * field the current test's (the class's under {@code @TestInstance(PER_CLASS)}). It works from
     * the moment the extension has built the lab (before {@code @BeforeAll} methods for a static
     * field, before {@code @BeforeEach} methods for an instance field) until the lab is torn down.
     *
     * @throws IllegalStateException when no lab of this registration is running
     */
    public Lab lab() {
        return running.newest()
                .orElseThrow(() -> new IllegalStateException("No lab of this NetnsLabExtension is running:"
                        + " lab() works inside tests and their @BeforeEach/@AfterEach methods (and for a static field also in"
                        + " @BeforeAll/@AfterAll methods), after the extension has built the lab and before it is torn down;"
                        + " elsewhere, declare a Lab or Namespace parameter"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Injection.intoFields(context.getRequiredTestClass(), null, ModifierSupport::isStatic, labFor(context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Lab lab = labFor(context);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            Injection.intoFields(instance.getClass(), instance, ModifierSupport::isNotStatic, lab);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return Injection.injects(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return Injection.forParameter(parameter, labFor(context));
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    /**
     * Does nothing: a lab is closed, or kept on failure, by the store of the context that declared it.
     *
     * @deprecated JUnit calls it; there is nothing left to do here. It will be removed in a later release.
     */
    @Deprecated
    @Override
    public void afterEach(ExtensionContext context) {}

    /**
     * Does nothing: a lab is closed, or kept on failure, by the store of the context that declared it.
     *
     * @deprecated JUnit calls it; there is nothing left to do here. It will be removed in a later release.
     */
    @Deprecated
    @Override
    public void afterAll(ExtensionContext context) {}

    /** The lab that serves {@code context}, built on first use in the store of the context that declared it. */
    private Lab labFor(ExtensionContext context) {
        return source.declarationFor(context).open(context).serve(running);
    }

    private Throwable report(ExtensionContext context, Throwable failure) {
        return LabFailureReporter.report(context, failure, openLabs(context));
    }

    /** The labs of this registration already built for {@code context}, nearest first. Builds none. */
    private List<LabResource> openLabs(ExtensionContext context) {
        List<LabResource> labs = new ArrayList<>();
        for (ExtensionContext current = context;
                current != null;
                current = current.getParent().orElse(null)) {
            source.declarationFor(current)
                    .running()
                    .filter(lab -> !labs.contains(lab))
                    .ifPresent(labs::add);
        }
        return labs;
    }
}
