package dev.netnslab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.internal.diagram.LabDiagram;
import dev.netnslab.internal.engine.ApiBridge;
import dev.netnslab.junit.NetnsLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the pictures of the examples true: each example's lab is drawn from its
 * {@code @NetnsLab} and compared with {@code docs/diagrams/NAME.svg} and {@code NAME.mmd}, and
 * {@code docs/diagrams/README.md} (the page with every picture) is compared with what
 * {@link #readme()} writes. Regenerate them all with
 * {@code ./mvnw -q -pl examples -am test -Dtest=ExampleDiagramsTest -Dsurefire.failIfNoSpecifiedTests=false -Dnetnslab.docs.write=true}.
 */
@DisplayName("docs/diagrams holds the current picture of every example")
class ExampleDiagramsTest {

    /** An example class, the name of its diagram files, and one sentence on what its lab builds. */
    record Example(String name, Class<?> testClass, String summary) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every example class; {@link #everyScenarioHasADiagram()} makes sure a new one is added here. */
    static final List<Example> EXAMPLES = List.of(
            new Example(
                    "scenario1",
                    Scenario1SingleNamespaceTest.class,
                    "the seed lab: namespace netns1 joined to the host by the veth pair veth1/veth2, "
                            + "with a default route via the host's 10.200.1.254."),
            new Example(
                    "scenario2",
                    Scenario2BridgeTest.class,
                    "two namespaces plugged into the bridge br0 on the host; they share 172.16.0.0/24, "
                            + "with the bridge's 172.16.0.1 as their gateway."),
            new Example(
                    "scenario3",
                    Scenario3MultiNodeRoutingTest.class,
                    "TwoNodes: two nodes on the underlay switch (10.0.0.10 and 10.0.0.20), each with a bridge and a "
                            + "container; each node routes the other's container subnet, with ip_forward on."),
            new Example(
                    "scenario4",
                    Scenario4OverlayTest.class,
                    "two nodes whose br0 bridges are joined by VXLAN 42 over the underlay, "
                            + "so that their containers share 172.16.0.0/24."),
            new Example(
                    "scenario5",
                    Scenario5NatEgressTest.class,
                    "a container, c1, that reaches an \"internet\" namespace (10.0.0.100, no route back) only because "
                            + "node1 masquerades 172.16.0.0/24 out of eth0."),
            new Example(
                    "calico",
                    CalicoDatapathTest.class,
                    "Calico's datapath: two /32 pods whose default route goes via 169.254.1.1, a link-scope route that the "
                            + "node answers by proxy ARP on each cali veth; the node routes each pod's /32 and has an uplink."),
            new Example(
                    "flannel",
                    FlannelDatapathTest.class,
                    "Flannel's VXLAN backend on three nodes: flannel.1 (VNI 1, port 8472, no learning, no remote) with a /32 VTEP "
                            + "address, and per remote node a static neighbour, an FDB entry and an on-link route."),
            new Example(
                    "ptp",
                    PtpDatapathTest.class,
                    "the CNI ptp plugin's layout: point-to-point pods without a subnet route, the gateway's /32 on every "
                            + "host-side veth, and a /32 route per pod on the node."),
            new Example(
                    "dualstack",
                    DualStackDatapathTest.class,
                    "IPv4 and IPv6 side by side through a router, with an IPv6 default via a link-local gateway on one side "
                            + "and via a global one on the other."));

    static Stream<Example> examples() {
        return EXAMPLES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void diagramIsCurrent(Example example) throws Exception {
        LabDiagram diagram = LabDiagram.of(ApiBridge.topology(specOf(example.testClass())));
        Path dir = docsDirectory().resolve("diagrams");
        check(dir.resolve(example.name() + ".mmd"), diagram.mermaid());
        check(dir.resolve(example.name() + ".svg"), diagram.svg());
    }

    @Test
    @DisplayName("docs/diagrams/README.md shows every example's current diagram")
    void readmeIsCurrent() throws Exception {
        check(docsDirectory().resolve("diagrams/README.md"), readme());
    }

    @Test
    @DisplayName("every Scenario*Test and *DatapathTest in examples/ has a diagram")
    void everyScenarioHasADiagram() throws IOException {
        Path sources = Path.of(System.getProperty("basedir", "."))
                .toAbsolutePath()
                .resolve("src/test/java/dev/netnslab/examples");
        List<String> scenarios;
        try (Stream<Path> files = Files.list(sources)) {
            scenarios = files.map(f -> f.getFileName().toString())
                    .filter(f -> f.matches("(Scenario\\d+\\w*|\\w+Datapath)Test\\.java"))
                    .map(f -> f.substring(0, f.length() - ".java".length()))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertThat(scenarios)
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(EXAMPLES.stream()
                        .map(e -> e.testClass().getSimpleName())
                        .collect(Collectors.toList()));
    }

    /**
     * The lab the example's class-level {@code @NetnsLab} builds, read the way the extension reads
     * it: from the topology class when there is one, else from the seed attributes.
     */
    static LabSpec specOf(Class<?> example) throws Exception {
        NetnsLab lab = example.getAnnotation(NetnsLab.class);
        assertThat(lab)
                .as("%s has a class-level @NetnsLab", example.getSimpleName())
                .isNotNull();
        if (lab.topology() == TwoNodes.class) {
            // TwoNodes.define() counts the builds of the shared lab, which Scenario 3 checks is one.
            return TwoNodes.builder().build();
        }
        if (lab.topology() != LabTopology.class) {
            var constructor = lab.topology().getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance().define();
        }
        return LabSpec.singleNamespace(lab.ns(), lab.ip(), lab.hostIp());
    }

    /**
     * The pictures page: per example its display name, what it builds, the Mermaid text and
     * the SVG. Image paths are relative to the repository root.
     */
    static String readme() throws Exception {
        StringBuilder out = new StringBuilder()
                .append(
                        "<!-- Generated by examples/src/test/java/dev/netnslab/examples/ExampleDiagramsTest.java (-Dnetnslab.docs.write=true); do not edit by hand.\n")
                .append("     Image paths are relative to the repository root. -->\n")
                .append(
                        "Each example's lab, drawn by `LabDiagram` from the same `LabSpec` the test builds: boxes are namespaces ")
                .append(
                        "(the dashed one is the lab's host sandbox), hexagons are bridges on a thick line to their namespace, ")
                .append(
                        "rounded boxes are VXLAN devices, a dotted line joins VXLAN devices with the same VNI, and each cable ")
                .append("is labelled with the interface names and addresses at its two ends.\n");
        for (Example example : EXAMPLES) {
            String title = example.testClass().getAnnotation(DisplayName.class).value();
            String mermaid = LabDiagram.of(ApiBridge.topology(specOf(example.testClass())))
                    .mermaid();
            out.append("\n### ")
                    .append(title)
                    .append("\n\n")
                    .append('`')
                    .append(example.testClass().getSimpleName())
                    .append("` builds ")
                    .append(example.summary())
                    .append("\n\n")
                    .append("```mermaid\n")
                    .append(mermaid)
                    .append("```\n\n")
                    .append("![")
                    .append(Character.toUpperCase(example.name().charAt(0)))
                    .append(example.name().substring(1))
                    .append("](docs/diagrams/")
                    .append(example.name())
                    .append(".svg)\n");
        }
        return out.toString();
    }

    private static void check(Path file, String expected) throws IOException {
        if (Boolean.getBoolean("netnslab.docs.write")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertThat(file)
                .as(
                        "%s is missing or stale; regenerate it with -Dnetnslab.docs.write=true (see this class' javadoc)",
                        file)
                .exists()
                .hasContent(expected);
    }

    /** The repository's docs/, found from the examples module's directory. */
    private static Path docsDirectory() {
        return Path.of(System.getProperty("basedir", "."))
                .toAbsolutePath()
                .normalize()
                .getParent()
                .resolve("docs");
    }
}
