package dev.netnslab.junit;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.ReflectionSupport;

/** Turns a {@link NetnsLab} annotation into the {@link LabSpec} it asks for, and names shared labs. */
final class LabDefinitions {

    private LabDefinitions() {}

    /**
     * The spec of {@code annotation}: its topology class' {@code define()}, or the single-namespace lab from
     * {@code ns}/{@code ip}/{@code hostIp} when no topology is given.
     *
     * @param where the annotated element, for messages
     */
    static LabSpec specOf(NetnsLab annotation, Object where) {
        Class<? extends LabTopology> type = annotation.topology();
        NetnsLab defaults = NetnsLabExtension.DEFAULTS;
        if (!annotation.file().isEmpty()) {
            if (type != LabTopology.class
                    || !annotation.ns().equals(defaults.ns())
                    || !annotation.ip().equals(defaults.ip())
                    || !annotation.hostIp().equals(defaults.hostIp())) {
                throw new ExtensionConfigurationException("@NetnsLab on " + where + " sets file = \""
                        + annotation.file() + "\" together with topology, ns, ip or hostIp, but the file describes"
                        + " the whole lab. Remove them, or remove file");
            }
            return TopologyFiles.specOf(annotation.file(), where);
        }
        if (type == LabTopology.class) {
            try {
                return LabSpec.singleNamespace(annotation.ns(), annotation.ip(), annotation.hostIp());
            } catch (InvalidLabSpecException e) {
                throw new ExtensionConfigurationException(
                        "@NetnsLab on " + where + " is invalid: " + e.getMessage(), e);
            }
        }
        if (!annotation.ns().equals(defaults.ns())
                || !annotation.ip().equals(defaults.ip())
                || !annotation.hostIp().equals(defaults.hostIp())) {
            throw new ExtensionConfigurationException(
                    "@NetnsLab on " + where + " sets topology = " + type.getSimpleName()
                            + ".class together with ns, ip or hostIp, but those only describe the single-namespace lab used when no"
                            + " topology is given. Remove them, or put the namespace into " + type.getSimpleName()
                            + ".define()");
        }
        return specOf(type, "@NetnsLab(topology = " + type.getSimpleName() + ".class) on " + where);
    }

    /**
     * The spec that {@code type}'s {@code define()} returns.
     *
     * @param where who asks for it, for messages, e.g. {@code @NetnsLab(topology = X.class) on class T}
     */
    static LabSpec specOf(Class<? extends LabTopology> type, String where) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new ExtensionConfigurationException(
                    where + " names an interface or abstract class; name a concrete class that implements LabTopology");
        }
        LabSpec spec;
        try {
            spec = ReflectionSupport.newInstance(type).define();
        } catch (InvalidLabSpecException e) {
            throw new ExtensionConfigurationException(where + " is invalid, nothing was created: " + e.getMessage(), e);
        } catch (Exception e) {
            // ReflectionSupport rethrows a missing constructor as the checked NoSuchMethodException, undeclared.
            throw new ExtensionConfigurationException(
                    where
                            + ": could not create the topology (it needs a no-argument constructor, and define() must not throw): "
                            + e,
                    e);
        }
        if (spec == null) {
            throw new ExtensionConfigurationException(type.getName()
                    + ".define() returned null; return the LabSpec to build," + " e.g. LabSpec.builder()...build()");
        }
        return spec;
    }

    /** What makes two shared labs the same: the topology class, or the single-namespace lab's attributes. */
    static Object sharedKey(NetnsLab annotation) {
        return new SharedKey(
                annotation.topology(), annotation.file(), annotation.ns(), annotation.ip(), annotation.hostIp());
    }

    private record SharedKey(Class<?> topology, String file, String ns, String ip, String hostIp) {}
}
