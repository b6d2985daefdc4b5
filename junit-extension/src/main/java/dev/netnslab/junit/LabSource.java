package dev.netnslab.junit;

import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import java.lang.reflect.AnnotatedElement;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Where a registration's lab comes from: the spec to build, and the context that declares the lab
 * (whose store holds it, and whose end closes it). This is the only thing in which
 * {@code @NetnsLab}, {@code @ExtendWith(NetnsLabExtension.class)} and {@code @RegisterExtension}
 * differ; building, injecting, reporting and closing take one path for all of them.
 */
abstract sealed class LabSource permits LabSource.NearestAnnotation, LabSource.Registered {

    static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NetnsLabExtension.class);

    /** The lab that serves {@code context}. Builds nothing: {@link Declaration#open} does. */
    abstract Declaration declarationFor(ExtensionContext context);

    /** {@code @NetnsLab} on the nearest element, or {@code @NetnsLab}'s defaults where only the extension is named. */
    static LabSource nearestAnnotation() {
        return new NearestAnnotation();
    }

    /** A spec given in code, for a {@code @RegisterExtension} field. */
    static LabSource spec(LabSpec spec) {
        return new Registered(() -> spec);
    }

    /** The spec a topology class defines, for a {@code @RegisterExtension} field. */
    static LabSource topology(Class<? extends LabTopology> topology) {
        return new Registered(
                () -> LabDefinitions.specOf(topology, "NetnsLabExtension.of(" + topology.getSimpleName() + ".class)"));
    }

    /**
     * A lab as declared: the context whose store holds it, its key there, and how to get its spec.
     * The spec is read only when the lab is built, so a topology's {@code define()} runs once per lab.
     */
    record Declaration(ExtensionContext owner, Object key, Supplier<LabSpec> spec) {

        /** The lab, if it has been built and its context has not ended. Builds nothing. */
        Optional<LabResource> running() {
            try {
                return Optional.ofNullable(owner.getStore(STORE).get(key, LabResource.class));
            } catch (RuntimeException buildFailed) {
                // The store rethrows a failed build on every look; that failure was reported where it happened.
                return Optional.empty();
            }
        }

        /** The lab, built on first use in {@code context} and kept in the owner's store, which closes it. */
        LabResource open(ExtensionContext context) {
            RunBackend run = RunBackend.of(context);
            boolean sharedByRun = owner.getParent().isEmpty();
            return owner.getStore(STORE)
                    .getOrComputeIfAbsent(
                            key, k -> new LabResource(run.start(spec.get(), context), sharedByRun), LabResource.class);
        }
    }

    /** One lab per declaring context; contexts are named by id, since a store also answers from its parents. */
    private record LabKey(String context, Object declaredBy) {}

    /** The key of labs that an annotation declares, whichever extension instance builds them. */
    private static final Object ANNOTATION = NetnsLab.class;

    /**
     * For {@link NetnsLabExtension#NetnsLabExtension()}, the extension {@code @NetnsLab} and
     * {@code @ExtendWith} register: the lab belongs to the nearest enclosing method or class that
     * carries {@code @NetnsLab} (or names the extension with {@code @ExtendWith}, for the defaults),
     * or to the whole run when that annotation says {@code shared = true}.
     */
    static final class NearestAnnotation extends LabSource {

        /**
         * Where no element names the extension, it was registered in code (a {@code @RegisterExtension}
         * field holding {@code new NetnsLabExtension()}, or {@code @ExtendWith} on a field): then it is
         * scoped like any registration, with the defaults.
         */
        private final Registered inCode = new Registered(() ->
                LabDefinitions.specOf(NetnsLabExtension.DEFAULTS, "new NetnsLabExtension() (@NetnsLab's defaults)"));

        @Override
        Declaration declarationFor(ExtensionContext context) {
            for (ExtensionContext current = context;
                    current != null;
                    current = current.getParent().orElse(null)) {
                Optional<AnnotatedElement> element = current.getElement();
                Optional<NetnsLab> annotation = element.flatMap(NearestAnnotation::declared);
                if (annotation.isPresent()) {
                    NetnsLab declared = annotation.get();
                    Supplier<LabSpec> spec = () -> LabDefinitions.specOf(declared, element.get());
                    return declared.shared()
                            // The run owns a shared lab: it lives in the root store, and only the run's end closes it.
                            ? new Declaration(current.getRoot(), LabDefinitions.sharedKey(declared), spec)
                            : new Declaration(current, new LabKey(current.getUniqueId(), ANNOTATION), spec);
                }
            }
            return inCode.declarationFor(context);
        }

        private static Optional<NetnsLab> declared(AnnotatedElement element) {
            Optional<NetnsLab> annotation = AnnotationSupport.findAnnotation(element, NetnsLab.class);
            if (annotation.isPresent()) {
                return annotation;
            }
            boolean extendsWithThis = AnnotationSupport.findRepeatableAnnotations(element, ExtendWith.class).stream()
                    .anyMatch(extendWith -> Arrays.asList(extendWith.value()).contains(NetnsLabExtension.class));
            return extendsWithThis ? Optional.of(NetnsLabExtension.DEFAULTS) : Optional.empty();
        }
    }

    /**
     * For a registration in code ({@code @RegisterExtension}): the lab belongs to the first context
     * JUnit calls the registration in. JUnit calls a static field's extension before all tests of
     * its class, and an instance field's only once its test instance exists (before each test by
     * default, before all of them under {@code @TestInstance(PER_CLASS)}), so the rule gives a
     * static field one lab for the class (and its {@code @Nested} classes) and an instance field one
     * per test instance, without the registration having to know which kind of field holds it.
     */
    static final class Registered extends LabSource {

        private final Supplier<LabSpec> spec;

        Registered(Supplier<LabSpec> spec) {
            this.spec = spec;
        }

        @Override
        Declaration declarationFor(ExtensionContext context) {
            for (ExtensionContext current = context;
                    current != null;
                    current = current.getParent().orElse(null)) {
                Declaration enclosing = declaredIn(current);
                if (enclosing.running().isPresent()) {
                    return enclosing;
                }
            }
            return declaredIn(context);
        }

        private Declaration declaredIn(ExtensionContext context) {
            return new Declaration(context, new LabKey(context.getUniqueId(), this), spec);
        }
    }
}
