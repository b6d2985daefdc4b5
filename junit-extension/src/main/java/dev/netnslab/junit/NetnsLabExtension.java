package dev.netnslab.junit;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.Settings;
import dev.netnslab.backend.Backend;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.backend.Backends;
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
 * The extension behind {@link NetnsLab}. Every way in (class callback, method callback, field,
 * parameter) goes through {@link #labOf(ExtensionContext)}, which finds the nearest declared lab and
 * builds it once through the store of the context that declared it; the store closes it.
 */
final class NetnsLabExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NetnsLabExtension.class);

    /** A lab in the store, and the context that declared it (and whose end closes it). */
    record DeclaredLab(ExtensionContext declaring, Lab lab) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<Lab> lab = labOf(context);
        injectFields(context.getRequiredTestClass(), null, ModifierSupport::isStatic, lab, context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<Lab> lab = labOf(context);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(instance.getClass(), instance, ModifierSupport::isNotStatic, lab, context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Lab.class || type == Namespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Lab lab = labOf(context).orElseThrow(() -> new ParameterResolutionException(
                "Cannot inject " + parameter.getParameter() + ": no @NetnsLab is declared on "
                        + context.getElement().map(Object::toString).orElse("this test") + " or its class"));
        Optional<Netns> netns = parameter.findAnnotation(Netns.class);
        return valueFor(parameter.getParameter().getType(), netns, lab, "parameter " + parameter.getParameter().getName());
    }

    /**
     * The lab for {@code context}: the one declared on the nearest enclosing method or class,
     * built on first use and closed when that context ends.
     */
    private Optional<Lab> labOf(ExtensionContext context) {
        for (ExtensionContext current = context; current != null; current = current.getParent().orElse(null)) {
            Optional<AnnotatedElement> element = current.getElement();
            if (element.isEmpty()) {
                continue;
            }
            Optional<NetnsLab> annotation = AnnotationSupport.findAnnotation(element.get(), NetnsLab.class);
            if (annotation.isPresent()) {
                ExtensionContext declaring = current;
                if (annotation.get().shared()) {
                    return Optional.of(sharedLab(annotation.get(), declaring));
                }
                Lab lab = declaring.getStore(STORE).getOrComputeIfAbsent(new LabKey(declaring.getUniqueId()),
                        key -> createLab(annotation.get(), declaring), Lab.class);
                return Optional.of(lab);
            }
        }
        return Optional.empty();
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
                key -> createLab(annotation, context), Lab.class);
    }

    private Lab createLab(NetnsLab annotation, ExtensionContext context) {
        LabSpec spec = LabDefinitions.specOf(annotation, context.getElement().orElse(null));
        Settings settings = settings(context);
        return Lab.start(spec, backend(context, settings), settings);
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
                throw new TestAbortedException("Skipped because " + Settings.SKIP_WHEN_UNAVAILABLE
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
                throw new ExtensionConfigurationException("@NetnsLab cannot inject the final field " + field
                        + "; remove 'final' so the lab's handle can be set");
            }
            if (lab.isEmpty()) {
                throw new ExtensionConfigurationException("@NetnsLab cannot inject the static field " + field
                        + " without a class-level lab; annotate the class with @NetnsLab or make the field non-static");
            }
            Object value = valueFor(field.getType(), AnnotationSupport.findAnnotation(field, Netns.class), lab.get(),
                    "field " + field.getName());
            try {
                field.setAccessible(true);
                field.set(instance, value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ExtensionConfigurationException("@NetnsLab could not set " + field + ": " + e.getMessage(), e);
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
            boolean skip = settings.getBoolean(Settings.SKIP_WHEN_UNAVAILABLE, false);
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
