package dev.netnslab.junit;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.LabSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Member;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Finds the topology file {@code @NetnsLab(file = ...)} names on the test's class path, and reads it. */
final class TopologyFiles {

    private TopologyFiles() {}

    /**
     * The spec of {@code file}: a Kathara lab folder, or a containerlab {@code .yml}/{@code .yaml} file.
     *
     * @param where the annotated class or method, whose class loader finds the file
     */
    static LabSpec specOf(String file, Object where) {
        String name = file.startsWith("/") ? file.substring(1) : file;
        ClassLoader loader = loaderOf(where);
        URL url = loader.getResource(name);
        if (url == null) {
            throw new ExtensionConfigurationException("@NetnsLab(file = \"" + file + "\") on " + where
                    + ": there is no such resource on the test's class path; put the lab folder or the .clab.yml file"
                    + " under src/test/resources and give its path from there, such as \"labs/two-routers\"");
        }
        Path path = path(url, file);
        try {
            if (Files.isDirectory(path)) {
                return LabSpec.fromKathara(path);
            }
            if (path.getFileName().toString().equals("lab.conf")) {
                return LabSpec.fromKathara(path.getParent());
            }
            if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                return LabSpec.fromContainerlab(path);
            }
        } catch (InvalidLabSpecException e) {
            throw new ExtensionConfigurationException(
                    "@NetnsLab(file = \"" + file + "\") on " + where + " is invalid, nothing was created: "
                            + e.getMessage(),
                    e);
        } catch (UncheckedIOException e) {
            throw new ExtensionConfigurationException(
                    "@NetnsLab(file = \"" + file + "\") on " + where + ": " + e.getMessage(), e);
        }
        throw new ExtensionConfigurationException("@NetnsLab(file = \"" + file + "\") on " + where
                + " names a file that is neither a Kathara lab folder (one that holds lab.conf) nor a containerlab file"
                + " (.yml or .yaml); name one of those");
    }

    private static ClassLoader loaderOf(Object where) {
        Class<?> type = where instanceof Class<?> c ? c : where instanceof Member m ? m.getDeclaringClass() : null;
        ClassLoader loader = type == null ? null : type.getClassLoader();
        if (loader == null && where instanceof AnnotatedElement) {
            loader = Thread.currentThread().getContextClassLoader();
        }
        return loader != null ? loader : ClassLoader.getSystemClassLoader();
    }

    /** The resource as a path: a file on disk, or an entry of a jar read through its file system. */
    private static Path path(URL url, String file) {
        try {
            if (url.getProtocol().equals("jar")) {
                try {
                    return Path.of(url.toURI());
                } catch (FileSystemNotFoundException notOpenYet) {
                    return FileSystems.newFileSystem(url.toURI(), Map.of())
                            .provider()
                            .getPath(url.toURI());
                }
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException | IOException | IllegalArgumentException e) {
            throw new ExtensionConfigurationException(
                    "@NetnsLab(file = \"" + file + "\"): cannot read " + url + " as a file: " + e.getMessage(), e);
        }
    }
}
