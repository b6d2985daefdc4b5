package dev.netnslab.internal.engine;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.backend.Backends;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.internal.topology.Placement;
import dev.netnslab.internal.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds the kernels a lab that spans kernels runs on, by the names its spec uses: those the caller
 * gives, else {@code netnslab.kernels.<name>} from the settings (opened here, closed with the lab).
 * The default kernel is the one given as {@value Placement#DEFAULT}, else the one passed in, else
 * the one {@code netnslab.backend} selects (also closed with the lab). A name that is found nowhere
 * is refused before any kernel is opened or anything is created.
 */
public final class LabKernels {

    private LabKernels() {}

    /**
     * Builds {@code topology} across the kernels {@code placement} names.
     *
     * @param given         kernels by name, which stay open; may be empty
     * @param defaultKernel the default kernel when {@code given} has none, or {@code null} to select one (owned)
     * @throws InvalidLabSpecException before anything is opened or created, when a kernel name is found nowhere
     */
    public static SpanningLab start(
            Topology topology,
            Placement placement,
            Map<String, ? extends Backend> given,
            Backend defaultKernel,
            Settings settings) {
        Map<String, String> uris = new LinkedHashMap<>();
        Map<String, List<String>> missing = new TreeMap<>();
        for (String name : placement.kernelNames()) {
            if (name.equals(Placement.DEFAULT) || given.containsKey(name)) {
                continue;
            }
            Optional<String> uri = settings.find(Setting.KERNEL.named(name));
            if (uri.isPresent()) {
                uris.put(name, uri.get());
            } else {
                missing.put(name, namespacesOn(placement, name));
            }
        }
        if (!missing.isEmpty()) {
            throw unknown(missing, given.keySet());
        }
        List<Kernel> owned = new ArrayList<>();
        Map<String, Kernel> kernels = new LinkedHashMap<>();
        try {
            if (given.containsKey(Placement.DEFAULT)) {
                kernels.put(Placement.DEFAULT, Kernel.of(given.get(Placement.DEFAULT)));
            } else if (defaultKernel != null) {
                kernels.put(Placement.DEFAULT, Kernel.of(defaultKernel));
            } else {
                Kernel selected = Backends.select(settings);
                owned.add(selected);
                kernels.put(Placement.DEFAULT, selected);
            }
            for (String name : placement.kernelNames()) {
                if (given.containsKey(name) && !name.equals(Placement.DEFAULT)) {
                    kernels.put(name, Kernel.of(given.get(name)));
                } else if (uris.containsKey(name)) {
                    Kernel opened = Backends.open(uris.get(name), settings);
                    owned.add(opened);
                    kernels.put(name, opened);
                }
            }
        } catch (RuntimeException e) {
            for (Kernel kernel : owned) {
                try {
                    kernel.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return SpanningLab.start(topology, placement, kernels, owned, settings);
    }

    private static List<String> namespacesOn(Placement placement, String kernel) {
        return placement.kernels().entrySet().stream()
                .filter(e -> e.getValue().equals(kernel))
                .map(Map.Entry::getKey)
                .toList();
    }

    private static InvalidLabSpecException unknown(Map<String, List<String>> missing, Set<String> givenNames) {
        Set<String> existing = new LinkedHashSet<>();
        existing.add(Placement.DEFAULT);
        existing.addAll(givenNames);
        List<InvalidLabSpecException> problems = new ArrayList<>();
        missing.forEach((name, namespaces) -> problems.add(new InvalidLabSpecException(
                "kernel of " + String.join(", ", namespaces),
                name,
                "the spec places " + namespaces + " on kernel '" + name + "', but no kernel has that name; the"
                        + " kernels that exist are " + existing + ". Pass it to Lab.start(spec, Map.of(\"" + name
                        + "\", backend)) or set " + Setting.KERNEL.named(name)
                        + "=<uri> (local, ssh://user@host...)")));
        return problems.size() == 1 ? problems.get(0) : new InvalidLabSpecException(problems);
    }
}
