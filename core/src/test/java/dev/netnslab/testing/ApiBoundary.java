package dev.netnslab.testing;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a module's compiled classes and tells where its boundary leaks: an unqualified export that
 * is not an API package, a package that is neither API nor internal, or a public signature of the
 * API that mentions an internal type.
 */
public final class ApiBoundary {

    public static final String INTERNAL = "dev.netnslab.internal";

    private final Path classes;
    private final ModuleDescriptor descriptor;

    private ApiBoundary(Path classes, ModuleDescriptor descriptor) {
        this.classes = classes;
        this.descriptor = descriptor;
    }

    /** The module compiled into {@code classes} (a {@code target/classes} folder with its module-info). */
    public static ApiBoundary of(Path classes) {
        ModuleDescriptor descriptor = ModuleFinder.of(classes).findAll().stream()
                .findFirst()
                .orElseThrow(() -> new AssertionError("no module-info.class in " + classes))
                .descriptor();
        return new ApiBoundary(classes, descriptor);
    }

    public ModuleDescriptor descriptor() {
        return descriptor;
    }

    /** The packages exported to everyone. */
    public Set<String> unqualifiedExports() {
        return descriptor.exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Qualified exports, as {@code package to module, ...}. */
    public Set<String> qualifiedExports() {
        return descriptor.exports().stream()
                .filter(ModuleDescriptor.Exports::isQualified)
                .map(e -> e.source() + " to " + String.join(", ", new TreeSet<>(e.targets())))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Packages that hold public types but are neither exported to everyone nor under {@link #INTERNAL}. */
    public Set<String> publicTypesOutsideApiAndInternal() throws IOException {
        Set<String> found = new TreeSet<>();
        for (Class<?> type : types()) {
            String pkg = type.getPackageName();
            if (Modifier.isPublic(type.getModifiers())
                    && !unqualifiedExports().contains(pkg)
                    && !pkg.equals(INTERNAL)
                    && !pkg.startsWith(INTERNAL + ".")) {
                found.add(pkg + " (" + type.getName() + ")");
            }
        }
        return found;
    }

    /** Every public or protected member of an exported type whose signature names an internal type. */
    public List<String> leaks() throws IOException {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : types()) {
            if (!unqualifiedExports().contains(type.getPackageName()) || !isVisible(type)) {
                continue;
            }
            check(leaks, type.getName() + " extends", type.getGenericSuperclass());
            for (Type implemented : type.getGenericInterfaces()) {
                check(leaks, type.getName() + " implements", implemented);
            }
            for (Field field : type.getDeclaredFields()) {
                if (isApi(field.getModifiers())) {
                    check(leaks, type.getName() + "." + field.getName(), field.getGenericType());
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (isApi(constructor.getModifiers())) {
                    for (Type parameter : constructor.getGenericParameterTypes()) {
                        check(leaks, constructor.toString(), parameter);
                    }
                    for (Type thrown : constructor.getGenericExceptionTypes()) {
                        check(leaks, constructor.toString(), thrown);
                    }
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (isApi(method.getModifiers()) && !method.isSynthetic()) {
                    check(leaks, method.toString(), method.getGenericReturnType());
                    for (Type parameter : method.getGenericParameterTypes()) {
                        check(leaks, method.toString(), parameter);
                    }
                    for (Type thrown : method.getGenericExceptionTypes()) {
                        check(leaks, method.toString(), thrown);
                    }
                }
            }
        }
        return leaks;
    }

    private static boolean isVisible(Class<?> type) {
        for (Class<?> current = type; current != null; current = current.getDeclaringClass()) {
            if (!isApi(current.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isApi(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> leaks, String where, Type type) {
        for (Class<?> mentioned : mentioned(type)) {
            if (mentioned.getPackageName().startsWith(INTERNAL)) {
                leaks.add(where + " mentions " + mentioned.getName());
            }
        }
    }

    private static List<Class<?>> mentioned(Type type) {
        List<Class<?>> result = new ArrayList<>();
        if (type instanceof Class<?> c) {
            result.add(c.isArray() ? c.getComponentType() : c);
        } else if (type instanceof ParameterizedType p) {
            result.addAll(mentioned(p.getRawType()));
            for (Type argument : p.getActualTypeArguments()) {
                result.addAll(mentioned(argument));
            }
        } else if (type instanceof GenericArrayType a) {
            result.addAll(mentioned(a.getGenericComponentType()));
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                result.addAll(mentioned(bound));
            }
            for (Type bound : w.getLowerBounds()) {
                result.addAll(mentioned(bound));
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                if (!(bound instanceof TypeVariable<?>)
                        && !(bound instanceof ParameterizedType p
                                && List.of(p.getActualTypeArguments()).contains(v))) {
                    result.addAll(mentioned(bound));
                }
            }
        }
        return result;
    }

    private List<Class<?>> types() throws IOException {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name =
                        classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.equals("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                try {
                    types.add(Class.forName(name, false, ApiBoundary.class.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new AssertionError("cannot load " + name + " from " + classes, e);
                }
            }
        }
        return types;
    }
}
