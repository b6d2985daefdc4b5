package dev.netnslab.diagram;

import dev.netnslab.LabSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("LabDiagram: Mermaid and SVG pictures of a topology")
class LabDiagramTest {

    private static final LabSpec SEED = LabSpec.singleNamespace("netns1", "10.200.1.1", null);

    /** host — a — b: a chain that needs three columns. */
    private static final LabSpec CHAIN = LabSpec.builder()
            .namespace("a").namespace("b")
            .veth("host", "h-a", "a", "a-h")
            .veth("a", "a-b", "b", "b-a")
            .address("host", "h-a", "10.0.1.254/24")
            .address("a", "a-h", "10.0.1.1/24")
            .address("a", "a-b", "10.0.2.1/24")
            .address("b", "b-a", "10.0.2.2/24")
            .route("b", "default", "10.0.2.1")
            .build();

    @Test
    @DisplayName("Mermaid: the seed lab is two boxes joined by veth1/veth2 with their addresses")
    void mermaidOfTheSeed() {
        assertThat(LabDiagram.of(SEED.topology()).mermaid()).isEqualTo(
                "flowchart LR\n"
                + "    n0[[\"<b>host</b> (lab sandbox)\"]]\n"
                + "    n1[\"<b>netns1</b><br/>default via 10.200.1.254\"]\n"
                + "    n0 ---|\"veth1 10.200.1.254/24 — veth2 10.200.1.1/24\"| n1\n");
    }

    @Test
    @DisplayName("Mermaid: every namespace and link of a chain appears, routes inside their box")
    void mermaidOfAChain() {
        String mermaid = LabDiagram.of(CHAIN.topology()).mermaid();
        assertThat(mermaid).contains("n1[\"<b>a</b>\"]", "n2[\"<b>b</b><br/>default via 10.0.2.1\"]",
                "n0 ---|\"h-a 10.0.1.254/24 — a-h 10.0.1.1/24\"| n1", "n1 ---|\"a-b 10.0.2.1/24 — b-a 10.0.2.2/24\"| n2");
    }

    @Test
    @DisplayName("SVG: well-formed, one box per namespace, one line per veth, every name and address shown")
    void svgOfTheSeed() throws Exception {
        String svg = LabDiagram.of(SEED.topology()).svg();
        Document doc = parse(svg);
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("line").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("g").getLength()).isEqualTo(2);
        assertThat(texts(doc)).contains("host (lab sandbox)", "netns1", "veth1", "10.200.1.254/24", "veth2",
                "10.200.1.1/24", "default via 10.200.1.254");
    }

    @Test
    @DisplayName("SVG: a chain is laid out left to right, one column per hop from the host")
    void svgLayoutFollowsHops() throws Exception {
        Document doc = parse(LabDiagram.of(CHAIN.topology()).svg());
        NodeList groups = doc.getElementsByTagName("g");
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < groups.getLength(); i++) {
            Element rect = (Element) ((Element) groups.item(i)).getElementsByTagName("rect").item(0);
            xs.add(Double.parseDouble(rect.getAttribute("x")));
        }
        assertThat(xs).hasSize(3).isSorted().doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("the same topology always renders to the same text")
    void deterministic() {
        assertThat(LabDiagram.of(CHAIN.topology()).svg()).isEqualTo(LabDiagram.of(CHAIN.topology()).svg());
    }

    @Test
    @DisplayName("writeSvg creates the parent directories")
    void writesFile(@TempDir Path dir) throws Exception {
        Path file = LabDiagram.of(SEED.topology()).writeSvg(dir.resolve("a/b/seed.svg"));
        assertThat(Files.readString(file)).startsWith("<svg ").contains("veth2");
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagName("text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
