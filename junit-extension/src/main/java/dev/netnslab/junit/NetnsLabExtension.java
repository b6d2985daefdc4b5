package dev.netnslab.junit;

import dev.netnslab.internal.settings.Setting;

import dev.netnslab.Lab;
import dev.netnslab.internal.engine.ApiBridge;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.backend.Backend;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.backend.Backends;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

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
 * before all tests, torn down after all of them) and an instance field one lab per test. Use one
 * way per test class: two registrations would compete to resolve the same parameters.
 *
 * <p>Every way goes through the store of the context that declared the lab, which closes it when
 * that context ends, as JUnit's {@code @TempDir} does. See {@link NetnsLab} for scope, sharing,
 * injection, failure reports and configuration.
 */
public final class NetnsLabExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler, AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NetnsLabExtension.class);

    /** {@code @NetnsLab}'s defaults, read from the annotation itself so they are written down once. */
    @NetnsLab
    private static final class Defaults {
    }

    static final NetnsLab DEFAULTS = Defaults.class.getAnnotation(NetnsLab.class);

    /** A lab in the store, and the context that declared it (and whose end closes it). */
    record DeclaredLab(ExtensionContext declaring, Lab lab) {
    }

    private final LabFailureReporter reporter = new LabFailureReporter();
    /** For {@code @RegisterExtension}: where the lab comes from; {@code null} for the annotation's way. */
    private final Supplier<LabSpec> registered;
    private final String registeredWhat;
    private volatile Lab lab;
    /** For a static {@code @RegisterExtension} field: the lab {@link #beforeAll} built for the class. */
    private volatile Lab classLab;

    /**
     * The extension that {@link NetnsLab @NetnsLab} and {@code @ExtendWith(NetnsLabExtension.class)}
     * register: it reads the nearest {@code @NetnsLab}, or uses its defaults when there is none.
     */
    public NetnsLabExtension() {
        this(null, null);
    }

    private NetnsLabExtension(Supplier<LabSpec> registered, String registeredWhat) {
        this.registered = registered;
        this.registeredWhat = registeredWhat;
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
        Objects.requireNonNull(spec, "spec must not be null; build one with LabSpec.builder() or LabSpec.singleNamespace(...)");
        return new NetnsLabExtension(() -> spec, "LabSpec " + spec);
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
        return new NetnsLabExtension(() -> LabDefinitions.specOf(topology, "NetnsLabExtension.of(" + topology.getSimpleName()
                + ".class)"), "topology " + topology.getName());
    }

    /**
     * The running lab of this extension: for a static field the class's lab, for an instance field
     * the current test's; for the annotation's way, the last lab this extension built.
     *
     * @throws IllegalStateException before the lab is built (outside a test, or in a field initialiser)
     */
    public Lab lab() {
        Lab current = lab;
        if (current == null) {
            throw new IllegalStateException("No lab is running yet: lab() works inside tests and their @BeforeEach/"
                    + "@BeforeAll methods, after the extension has built it; for parameters, declare a Lab or Namespace parameter");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<Lab> found = registered != null ? Optional.of(registeredLab(context)) : labOf(context);
        injectFields(context.getRequiredTestClass(), null, ModifierSupport::isStatic, found, context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<Lab> found = registered != null ? Optional.of(registeredLab(context)) : labOf(context);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(instance.getClass(), instance, ModifierSupport::isNotStatic, found, context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Lab.class || type == Namespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Optional<Lab> found = registered != null ? Optional.ofNullable(lab).filter(l -> !l.isClosed()) : labOf(context);
        Lab resolved = found.orElseThrow(() -> new ParameterResolutionException(
                "Cannot inject " + parameter.getParameter() + ": no lab is running for "
                        + context.getElement().map(Object::toString).orElse("this test")
                        + (registered != null ? "; a lab registered with @RegisterExtension is built before each test"
                        + " (instance field) or before all tests (static field), not for a constructor" : "")));
        Optional<Netns> netns = parameter.findAnnotation(Netns.class);
        return valueFor(parameter.getParameter().getType(), netns, resolved, "parameter " + parameter.getParameter().getName());
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        reporter.handleTestExecutionException(context, failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        reporter.handleBeforeAllMethodExecutionException(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        reporter.handleBeforeEachMethodExecutionException(context, failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        reporter.handleAfterEachMethodExecutionException(context, failure);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        reporter.handleAfterAllMethodExecutionException(context, failure);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        reporter.afterEach(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        reporter.afterAll(context);
    }

    /**
     * The lab of a {@code @RegisterExtension} field: the class's when {@link #beforeAll} built one
     * (a static field), else one for this test, in the store of the context at hand.
     */
    private Lab registeredLab(ExtensionContext context) {
        Lab shared = classLab;
        if (shared != null && !shared.isClosed()) {
            return shared;
        }
        Lab built = context.getStore(STORE).getOrComputeIfAbsent(new LabKey(context.getUniqueId()),
                key -> start(registered.get(), context), Lab.class);
        if (context.getTestMethod().isEmpty()) {
            classLab = built;
        }
        lab = built;
        return built;
    }

    /**
     * The lab for {@code context} on the annotation's way: the one declared on the nearest enclosing
     * method or class by {@code @NetnsLab}, or by {@code @ExtendWith(NetnsLabExtension.class)} with
     * the defaults; built on first use and closed when that context ends.
     */
    private Optional<Lab> labOf(ExtensionContext context) {
        for (ExtensionContext current = context; current != null; current = current.getParent().orElse(null)) {
            Optional<AnnotatedElement> element = current.getElement();
            if (element.isEmpty()) {
                continue;
            }
            Optional<NetnsLab> annotation = AnnotationSupport.findAnnotation(element.get(), NetnsLab.class);
            if (annotation.isEmpty() && extendsWithThis(element.get())) {
                annotation = Optional.of(DEFAULTS);
            }
            if (annotation.isPresent()) {
                ExtensionContext declaring = current;
                NetnsLab declared = annotation.get();
                Lab built = declared.shared()
                        ? sharedLab(declared, declaring)
                        : declaring.getStore(STORE).getOrComputeIfAbsent(new LabKey(declaring.getUniqueId()),
                        key -> start(LabDefinitions.specOf(declared, declaring.getElement().orElse(null)), declaring), Lab.class);
                lab = built;
                return Optional.of(built);
            }
        }
        return Optional.empty();
    }

    private static boolean extendsWithThis(AnnotatedElement element) {
        return AnnotationSupport.findRepeatableAnnotations(element, ExtendWith.class).stream()
                .anyMatch(extendWith -> Arrays.asList(extendWith.value()).contains(NetnsLabExtension.class));
    }

    /**
     * The labs already built for {@code context}, nearest first: the method's own, then its class's
     * and its enclosing classes'. Never builds one.
     */
    static List<DeclaredLab> openLabs(ExtensionContext context) {
        List<DeclaredLab> labs = new java.util.ArrayList<>();
        for (ExtensionContext current = context; current != null; current = current.getParent().orElse(null)) {
            Lab lab = current.getStore(STORE).get(new LabKey(current.getUniqueId()), Lab.class);
            if (lab != null) {
                labs.add(new DeclaredLab(current, lab));
            }
            Optional<NetnsLab> annotation = current.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, NetnsLab.class));
            if (annotation.isPresent() && annotation.get().shared()) {
                // A shared lab belongs to the whole run: it lives in the root store, and only the run's end closes it.
                Lab shared = current.getRoot().getStore(STORE).get(LabDefinitions.sharedKey(annotation.get()), Lab.class);
                if (shared != null) {
                    labs.add(new DeclaredLab(current.getRoot(), shared));
                }
            }
        }
        return labs;
    }

    /** Takes the lab that {@code declaring} declared out of its store, so the store's end leaves it running. */
    static void release(ExtensionContext declaring) {
        declaring.getStore(STORE).remove(new LabKey(declaring.getUniqueId()), Lab.class);
    }

    /**
     * A lab shared by the whole run, kept in the root store under its definition. The backend is
     * fetched first on purpose: the root store closes its values in reverse order of insertion, so
     * the backend must be in it before the lab to outlive it.
     */
    private Lab sharedLab(NetnsLab annotation, ExtensionContext context) {
        backend(context, settings(context));
        return context.getRoot().getStore(STORE).getOrComputeIfAbsent(LabDefinitions.sharedKey(annotation),
                key -> start(LabDefinitions.specOf(annotation, context.getElement().orElse(null)), context), Lab.class);
    }

    private static Lab start(LabSpec spec, ExtensionContext context) {
        Settings settings = settings(context);
        return ApiBridge.start(spec, backend(context, settings), settings);
    }

    private static Settings settings(ExtensionContext context) {
        return Settings.from(context::getConfigurationParameter);
    }

    /** One backend per test run, kept in the root store; a failure to get one is remembered too. */
    private static Backend backend(ExtensionContext context, Settings settings) {
        BackendHolder holder = context.getRoot().getStore(STORE)
                .getOrComputeIfAbsent(BackendHolder.class, key -> BackendHolder.select(settings), BackendHolder.class);
        if (holder.failure != null) {
            if (holder.skip) {
                throw new TestAbortedException("Skipped because " + Setting.SKIP_WHEN_UNAVAILABLE
                        + "=true and no usable kernel was found: " + holder.failure.getMessage());
            }
            throw holder.failure;
        }
        return holder.backend;
    }

    private void injectFields(Class<?> type, Object instance, Predicate<Field> scope, Optional<Lab> lab, ExtensionContext context) {
        List<Field> fields = ReflectionSupport.findFields(type,
                field -> scope.test(field) && (field.getType() == Lab.class || field.getType() == Namespace.class),
                HierarchyTraversalMode.TOP_DOWN);
        for (Field field : fields) {
            if (ModifierSupport.isFinal(field)) {
                throw new ExtensionConfigurationException("NetnsLabExtension cannot inject the final field " + field
                        + "; remove 'final' so the lab's handle can be set");
            }
            if (lab.isEmpty()) {
                throw new ExtensionConfigurationException("NetnsLabExtension cannot inject the static field " + field
                        + " without a class-level lab; annotate the class with @NetnsLab or make the field non-static");
            }
            Object value = valueFor(field.getType(), AnnotationSupport.findAnnotation(field, Netns.class), lab.get(),
                    "field " + field.getName());
            try {
                field.setAccessible(true);
                field.set(instance, value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ExtensionConfigurationException("NetnsLabExtension could not set " + field + ": " + e.getMessage(), e);
            }
        }
    }

    private static Object valueFor(Class<?> type, Optional<Netns> netns, Lab lab, String target) {
        if (type == Lab.class) {
            return lab;
        }
        if (netns.isPresent()) {
            try {
                return lab.namespace(netns.get().value());
            } catch (IllegalArgumentException e) {
                throw new ParameterResolutionException("Cannot inject " + target + ": @Netns(\"" + netns.get().value()
                        + "\") names no namespace of the lab; it has " + names(lab), e);
            }
        }
        List<Namespace> namespaces = lab.namespaces();
        if (namespaces.size() != 1) {
            throw new ParameterResolutionException("Cannot inject " + target + ": the lab has " + namespaces.size()
                    + " namespaces " + names(lab) + "; pick one with @Netns(\"name\")");
        }
        return namespaces.get(0);
    }

    private static List<String> names(Lab lab) {
        return lab.namespaces().stream().map(Namespace::name).toList();
    }

    private static final class LabKey {
        private final String contextId;

        LabKey(String contextId) {
            this.contextId = contextId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LabKey && ((LabKey) other).contextId.equals(contextId);
        }

        @Override
        public int hashCode() {
            return contextId.hashCode();
        }
    }

    /** The run's backend, or why there is none. Closed by the root store at the end of the run. */
    private static final class BackendHolder implements AutoCloseable {
        final Backend backend;
        final RuntimeException failure;
        final boolean skip;

        private BackendHolder(Backend backend, RuntimeException failure, boolean skip) {
            this.backend = backend;
            this.failure = failure;
            this.skip = skip;
        }

        static BackendHolder select(Settings settings) {
            boolean skip = settings.get(Setting.SKIP_WHEN_UNAVAILABLE);
            try {
                return new BackendHolder(Backends.select(settings), null, skip);
            } catch (BackendUnavailableException e) {
                return new BackendHolder(null, e, skip);
            } catch (IllegalArgumentException e) {
                return new BackendHolder(null, new ExtensionConfigurationException(e.getMessage(), e), false);
            }
        }

        @Override
        public void close() {
            if (backend != null) {
                backend.close();
            }
        }
    }
}
