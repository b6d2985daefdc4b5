package dev.netnslab.junit;

import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Hands {@link Lab} and {@link Namespace} handles to parameters and fields. A failure names the
 * parameter or field so that it can be found without a debugger: its position and type (and its
 * name, when the class was compiled with {@code -parameters}), the method, the lab's namespaces,
 * and what to write instead.
 */
final class Injection {

    private Injection() {}

    /** Whether the extension injects parameters and fields of {@code type}. */
    static boolean injects(Class<?> type) {
        return type == Lab.class || type == Namespace.class;
    }

    /**
     * The handle for {@code parameter}: the lab, or the namespace its {@link Netns @Netns} names (or
     * the lab's only one).
     *
     * @throws ParameterResolutionException when no namespace fits, saying which exist
     */
    static Object forParameter(ParameterContext parameter, Lab lab) {
        return valueFor(
                parameter.getParameter().getType(),
                parameter.findAnnotation(Netns.class),
                lab,
                describe(parameter),
                ParameterResolutionException::new);
    }

    /**
     * Sets every field of {@code type} (and its superclasses) that {@code scope} selects and whose
     * type is injected, on {@code instance} ({@code null} for static fields).
     *
     * @throws ExtensionConfigurationException when a field is final or no namespace fits
     */
    static void intoFields(Class<?> type, Object instance, Predicate<Field> scope, Lab lab) {
        List<Field> fields = ReflectionSupport.findFields(
                type, field -> scope.test(field) && injects(field.getType()), HierarchyTraversalMode.TOP_DOWN);
        for (Field field : fields) {
            String target = describe(field);
            if (ModifierSupport.isFinal(field)) {
                throw new ExtensionConfigurationException("Cannot inject " + target
                        + ": it is final; remove 'final' so that NetnsLabExtension can set the lab's handle");
            }
            Object value = valueFor(
                    field.getType(),
                    AnnotationSupport.findAnnotation(field, Netns.class),
                    lab,
                    target,
                    ExtensionConfigurationException::new);
            try {
                // Our own module sets the field: on the module path, the test's package must be open to
                // dev.netnslab.junit.
                field.setAccessible(true);
                field.set(instance, value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ExtensionConfigurationException(
                        "Cannot inject " + target + ": " + e.getMessage()
                                + (e instanceof InaccessibleObjectException
                                        ? "; open the test's package to dev.netnslab.junit in its module-info.java"
                                        : ""),
                        e);
            }
        }
    }

    private static Object valueFor(
            Class<?> type,
            Optional<Netns> netns,
            Lab lab,
            String target,
            Function<String, ? extends RuntimeException> failure) {
        if (type == Lab.class) {
            return lab;
        }
        List<String> names = lab.namespaces().stream().map(Namespace::name).toList();
        if (netns.isPresent()) {
            String name = netns.get().value();
            try {
                return lab.namespace(name);
            } catch (IllegalArgumentException e) {
                throw failure.apply(
                        "Cannot inject " + target + ": @Netns(\"" + name + "\") names no namespace of the lab; it has "
                                + names + ", and \"host\" is its host side; use one of those names");
            }
        }
        if (names.size() == 1) {
            return lab.namespaces().get(0);
        }
        if (names.isEmpty()) {
            throw failure.apply("Cannot inject " + target + ": the lab has no namespace besides its host side;"
                    + " write @Netns(\"host\") for the host side, or take the Lab");
        }
        throw failure.apply("Cannot inject " + target + ": the lab has " + names.size() + " namespaces " + names
                + " and nothing says which one; pick one with @Netns(\"name\"): "
                + names.stream().map(n -> "@Netns(\"" + n + "\")").collect(Collectors.joining(", "))
                + ", or @Netns(\"host\") for the host side");
    }

    /** {@code parameter 0 'ns' (Namespace) of RoutingTest.reach(Namespace, Lab)}; the name only when compiled in. */
    static String describe(ParameterContext context) {
        Parameter parameter = context.getParameter();
        return "parameter " + context.getIndex() + (parameter.isNamePresent() ? " '" + parameter.getName() + "'" : "")
                + " (" + parameter.getType().getSimpleName() + ") of " + describe(context.getDeclaringExecutable());
    }

    private static String describe(Field field) {
        return "field '" + field.getName() + "' (" + field.getType().getSimpleName() + ") of "
                + className(field.getDeclaringClass());
    }

    private static String describe(Executable executable) {
        String types = Arrays.stream(executable.getParameterTypes())
                .map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        String owner = className(executable.getDeclaringClass());
        return executable instanceof Constructor
                ? "the constructor " + owner + "(" + types + ")"
                : owner + "." + executable.getName() + "(" + types + ")";
    }

    /** The class as it reads in source: nested classes joined with dots, without the package. */
    private static String className(Class<?> type) {
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }
}
