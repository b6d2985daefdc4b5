package dev.netnslab.internal.diagram;

import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A picture of a lab. Namespaces are boxes holding their routes and a short note of their
 * settings ({@code ip_forward on}, {@code MASQUERADE 172.16.0.0/24 out eth0}, {@code eth0 mtu 1450});
 * bridges are hexagons and VXLAN devices rounded boxes, each on a thick line to its namespace;
 * veth pairs are lines labelled with the interface names and addresses at each end, ending at the
 * bridge when one end is a bridge port; VXLAN devices with the same VNI are joined by a dotted
 * line, the overlay. Rendered as Mermaid text, for Markdown and test reports, or as a standalone
 * SVG file. Pure: it draws the spec, it does not look at the kernel.
 *
 * <pre>{@code
 * LabDiagram diagram = LabDiagram.of(topology);
 * String mermaid = diagram.mermaid();                 // flowchart LR ... n0 ---|"veth1 ... — veth2 ..."| n1
 * diagram.writeSvg(Path.of("target/netnslab/scenario1.svg"));
 * }</pre>
 *
 * The rendering is deterministic: the same topology always gives the same text, so diagrams can
 * be committed next to the docs and compared in tests.
 */
public final class LabDiagram {

    private final Graph graph;
    /** Namespace node id to the kernel it runs on, for the namespaces of a lab that spans kernels. */
    private final Map<String, String> kernels;

    private LabDiagram(Graph graph) {
        this(graph, Map.of());
    }

    private LabDiagram(Graph graph, Map<String, String> kernels) {
        this.graph = graph;
        this.kernels = kernels;
    }

    /**
     * The diagram of a running lab that spans kernels: as {@link #of(Topology, Map)}, with each
     * namespace's box noting its kernel and, in Mermaid, the namespaces of each kernel in a group of
     * their own. {@code kernelOf} gives each namespace's kernel; when every namespace is on one
     * kernel, nothing is added.
     */
    public static LabDiagram of(
            Topology topology, Map<String, List<String>> faults, java.util.function.Function<String, String> kernelOf) {
        Map<String, String> ids = Graph.namespaceIds(topology);
        if (ids.keySet().stream().map(kernelOf).distinct().count() < 2) {
            return of(topology, faults);
        }
        Map<String, List<String>> notes = new java.util.LinkedHashMap<>();
        Map<String, String> groups = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> ns : ids.entrySet()) {
            String kernel = kernelOf.apply(ns.getKey());
            List<String> extra = new java.util.ArrayList<>(faults.getOrDefault(ns.getKey(), List.of()));
            extra.add("kernel " + kernel);
            notes.put(ns.getKey(), extra);
            groups.put(ns.getValue(), kernel);
        }
        return new LabDiagram(Graph.of(topology, notes), groups);
    }

    /** The diagram of {@code topology}. */
    public static LabDiagram of(Topology topology) {
        return new LabDiagram(Graph.of(Objects.requireNonNull(topology, "topology")));
    }

    /**
     * The diagram of a running lab: its topology, plus a note in each namespace's box for every fault
     * the test has switched on ({@code fault: veth2 down}, {@code fault: cut off from netns2}), as
     * notes per logical namespace name.
     */
    public static LabDiagram of(Topology topology, Map<String, List<String>> faults) {
        return new LabDiagram(Graph.of(Objects.requireNonNull(topology, "topology"), faults));
    }

    /** A Mermaid flowchart, starting with {@code flowchart LR}; paste it into a {@code ```mermaid} block. */
    public String mermaid() {
        return MermaidRenderer.render(graph, kernels);
    }

    /** A standalone SVG document. */
    public String svg() {
        return SvgRenderer.render(graph);
    }

    /**
     * Writes {@link #svg()} to {@code file}, creating its parent directories.
     *
     * @return {@code file}
     * @throws NetnsLabException when the file cannot be written
     */
    public Path writeSvg(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, svg(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new NetnsLabException("Could not write the lab diagram to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return mermaid();
    }
}
