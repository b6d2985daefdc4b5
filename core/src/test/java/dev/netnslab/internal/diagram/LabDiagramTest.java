package dev.netnslab.internal.diagram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.LabSpec;
import dev.netnslab.RuleOptions;
import dev.netnslab.internal.engine.ApiBridge;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

@DisplayName("LabDiagram: Mermaid and SVG pictures of a topology")
class LabDiagramTest {

    private static final LabSpec SEED = LabSpec.singleNamespace("netns1", "10.200.1.1", null);

    /** host — a — b: a chain that needs three columns. */
    private static final LabSpec CHAIN = LabSpec.builder()
            .namespace("a")
            .namespace("b")
            .veth("host:h-a", "a:a-h")
            .veth("a:a-b", "b:b-a")
            .address("host", "h-a", "10.0.1.254/24")
            .address("a", "a-h", "10.0.1.1/24")
            .address("a", "a-b", "10.0.2.1/24")
            .address("b", "b-a", "10.0.2.2/24")
            .route("b", "default", "10.0.2.1")
            .build();

    /** Part 2 in small: a bridge on the host with two namespaces plugged in, one with an MTU. */
    private static final LabSpec BRIDGE = LabSpec.builder()
            .bridge("host", "br0", "172.16.0.1/24")
            .container("a", "host:br0", "172.16.0.2/24")
            .container("b", "host:br0", "172.16.0.3/24")
            .mtu("b", "eth0", 1400)
            .build();

    /**
     * Awkward shapes: a triangle (a cable inside one column), two bridges of one namespace joined
     * by a veth, a namespace not linked to the host, and three VXLAN devices of one VNI.
     */
    private static final LabSpec TANGLE = LabSpec.builder()
            .namespace("a")
            .namespace("b")
            .namespace("c")
            .veth("host:h-a", "a:a-h")
            .veth("host:h-b", "b:b-h")
            .veth("a:a-b", "b:b-a")
            .bridge("c", "brx")
            .bridge("c", "bry")
            .veth("c:x1", "c:y1")
            .master("c", "x1", "brx")
            .master("c", "y1", "bry")
            .node("n1", "10.0.0.1/24")
            .node("n2", "10.0.0.2/24")
            .node("n3", "10.0.0.3/24")
            .vxlan("n1", "vx0", 9, "eth0", "10.0.0.2", "10.0.0.3")
            .vxlan("n2", "vx0", 9, "eth0", "10.0.0.1")
            .vxlan("n3", "vx0", 9, "eth0", "10.0.0.1")
            .build();

    /** An overlay in small: two nodes whose bridges are joined by VXLAN {@code vni1} and {@code vni2}. */
    private static LabSpec vxlan(int vni1, int vni2) {
        return LabSpec.builder()
                .node("n1", "10.0.0.1/24")
                .node("n2", "10.0.0.2/24")
                .bridge("n1", "br0")
                .bridge("n2", "br0")
                .vxlan("n1", "vx0", vni1, "eth0", "10.0.0.2")
                .vxlan("n2", "vx0", vni2, "eth0", "10.0.0.1")
                .master("n1", "vx0", "br0")
                .master("n2", "vx0", "br0")
                .build();
    }

    @Test
    @DisplayName("Mermaid: a bridge is a hexagon on a thick line to its namespace, ports are cables to it")
    void mermaidOfABridge() {
        assertThat(LabDiagram.of(ApiBridge.topology(BRIDGE)).mermaid())
                .isEqualTo("flowchart LR\n"
                        + "    n0[[\"<b>host</b> (lab sandbox)\"]]\n"
                        + "    n0b0{{\"<b>br0</b><br/>172.16.0.1/24\"}}\n"
                        + "    n1[\"<b>a</b><br/>default via 172.16.0.1\"]\n"
                        + "    n2[\"<b>b</b><br/>default via 172.16.0.1<br/>eth0 mtu 1400\"]\n"
                        + "    n0 === n0b0\n"
                        + "    n0b0 ---|\"veth-a — eth0 172.16.0.2/24\"| n1\n"
                        + "    n0b0 ---|\"veth-b — eth0 172.16.0.3/24\"| n2\n");
    }

    @Test
    @DisplayName("Mermaid: VXLAN devices show their VNI, hang off their bridge, and share a dotted overlay line")
    void mermaidOfAnOverlay() {
        assertThat(LabDiagram.of(ApiBridge.topology(vxlan(42, 42))).mermaid())
                .isEqualTo("flowchart LR\n"
                        + "    n0[[\"<b>host</b> (lab sandbox)\"]]\n"
                        + "    n0b0{{\"<b>underlay</b>\"}}\n"
                        + "    n1[\"<b>n1</b><br/>ip_forward on\"]\n"
                        + "    n1b0{{\"<b>br0</b>\"}}\n"
                        + "    n1v0([\"<b>vx0</b><br/>VNI 42 dev eth0<br/>to 10.0.0.2\"])\n"
                        + "    n2[\"<b>n2</b><br/>ip_forward on\"]\n"
                        + "    n2b0{{\"<b>br0</b>\"}}\n"
                        + "    n2v0([\"<b>vx0</b><br/>VNI 42 dev eth0<br/>to 10.0.0.1\"])\n"
                        + "    n0 === n0b0\n"
                        + "    n1 === n1b0\n"
                        + "    n2 === n2b0\n"
                        + "    n0b0 ---|\"veth-n1 — eth0 10.0.0.1/24\"| n1\n"
                        + "    n0b0 ---|\"veth-n2 — eth0 10.0.0.2/24\"| n2\n"
                        + "    n1b0 --- n1v0\n"
                        + "    n2b0 --- n2v0\n"
                        + "    n1v0 -.-|\"VNI 42\"| n2v0\n");
    }

    @Test
    @DisplayName(
            "Mermaid: VXLAN devices with different VNIs get no overlay line; one not on a bridge hangs off its namespace")
    void mermaidOfABrokenOverlay() {
        assertThat(LabDiagram.of(ApiBridge.topology(vxlan(42, 43))).mermaid())
                .contains("VNI 42 dev eth0", "VNI 43 dev eth0")
                .doesNotContain("-.-");
        LabSpec routed = LabSpec.builder()
                .node("n1", "10.0.0.1/24")
                .node("n2", "10.0.0.2/24")
                .vxlan("n1", "vx0", 7, "eth0", "10.0.0.2")
                .vxlan("n2", "vx0", 7, "eth0", "10.0.0.1")
                .address("n1", "vx0", "192.168.7.1/24")
                .address("n2", "vx0", "192.168.7.2/24")
                .build();
        assertThat(LabDiagram.of(ApiBridge.topology(routed)).mermaid())
                .contains(
                        "n1v0([\"<b>vx0</b><br/>VNI 7 dev eth0<br/>to 10.0.0.2<br/>192.168.7.1/24\"])",
                        "n1 === n1v0",
                        "n2 === n2v0",
                        "n1v0 -.-|\"VNI 7\"| n2v0");
    }

    @Test
    @DisplayName("Mermaid: a namespace's box notes forwarding, NAT and firewall rules, nft tables and link shaping")
    void settingsInTheNamespaceBox() {
        LabSpec spec = LabSpec.builder()
                .node("gw", "10.0.0.1/24", "172.16.0.1/24")
                .container("c1", "gw", "172.16.0.2/24")
                .masquerade("gw", "172.16.0.0/24", "eth0")
                .iptables("gw", "-A", "FORWARD", "-i", "br0", "-p", "tcp", "-j", "DROP")
                .nft("gw", "table inet filter {\n  chain input { type filter hook input priority 0; }\n}\n")
                .rpFilter("gw", 2)
                .rate("c1", "eth0", "10mbit")
                .loss("c1", "eth0", 12.5)
                .mtu("c1", "eth0", 1400)
                .build();
        assertThat(LabDiagram.of(ApiBridge.topology(spec)).mermaid())
                .contains(
                        "n1[\"<b>gw</b><br/>ip_forward on<br/>rp_filter 2<br/>MASQUERADE 172.16.0.0/24 out eth0"
                                + "<br/>iptables filter FORWARD in br0 tcp -j DROP<br/>nft table inet filter\"]",
                        "n2[\"<b>c1</b><br/>default via 172.16.0.1<br/>eth0 mtu 1400, rate 10mbit, loss 12.5%\"]");
    }

    @Test
    @DisplayName("Mermaid: the single-namespace lab is two boxes joined by veth1/veth2 with their addresses")
    void mermaidOfTheSingleNamespaceLab() {
        assertThat(LabDiagram.of(ApiBridge.topology(SEED)).mermaid())
                .isEqualTo("flowchart LR\n"
                        + "    n0[[\"<b>host</b> (lab sandbox)\"]]\n"
                        + "    n1[\"<b>netns1</b><br/>default via 10.200.1.254\"]\n"
                        + "    n0 ---|\"veth1 10.200.1.254/24 — veth2 10.200.1.1/24\"| n1\n");
    }

    @Test
    @DisplayName("Mermaid: every namespace and link of a chain appears, routes inside their box")
    void mermaidOfAChain() {
        String mermaid = LabDiagram.of(ApiBridge.topology(CHAIN)).mermaid();
        assertThat(mermaid)
                .contains(
                        "n1[\"<b>a</b>\"]",
                        "n2[\"<b>b</b><br/>default via 10.0.2.1\"]",
                        "n0 ---|\"h-a 10.0.1.254/24 — a-h 10.0.1.1/24\"| n1",
                        "n1 ---|\"a-b 10.0.2.1/24 — b-a 10.0.2.2/24\"| n2");
    }

    @Test
    @DisplayName("SVG: well-formed, one box per namespace, one line per veth, every name and address shown")
    void svgOfTheSingleNamespaceLab() throws Exception {
        String svg = LabDiagram.of(ApiBridge.topology(SEED)).svg();
        Document doc = parse(svg);
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("g").getLength()).isEqualTo(2);
        assertThat(texts(doc))
                .contains(
                        "host (lab sandbox)",
                        "netns1",
                        "veth1",
                        "10.200.1.254/24",
                        "veth2",
                        "10.200.1.1/24",
                        "default via 10.200.1.254");
    }

    @Test
    @DisplayName("SVG: a chain is laid out left to right, one column per hop from the host")
    void svgLayoutFollowsHops() throws Exception {
        Document doc = parse(LabDiagram.of(ApiBridge.topology(CHAIN)).svg());
        NodeList groups = doc.getElementsByTagName("g");
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < groups.getLength(); i++) {
            Element rect = (Element)
                    ((Element) groups.item(i)).getElementsByTagName("rect").item(0);
            xs.add(Double.parseDouble(rect.getAttribute("x")));
        }
        assertThat(xs).hasSize(3).isSorted().doesNotHaveDuplicates();
    }

    @Test
    @DisplayName(
            "SVG: bridges are hexagons, VXLAN devices rounded boxes, the overlay a dashed arc labelled with its VNI")
    void svgOfAnOverlay() throws Exception {
        Document doc = parse(LabDiagram.of(ApiBridge.topology(vxlan(42, 42))).svg());
        assertThat(doc.getElementsByTagName("g").getLength()).isEqualTo(8);
        assertThat(doc.getElementsByTagName("polygon").getLength()).isEqualTo(3);
        // Cables and device lines are polylines; the overlay between the two VXLAN devices is the one path.
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(7);
        NodeList paths = doc.getElementsByTagName("path");
        assertThat(paths.getLength()).isEqualTo(1);
        assertThat(((Element) paths.item(0)).getAttribute("stroke-dasharray")).isNotEmpty();
        assertThat(texts(doc))
                .contains(
                        "underlay",
                        "br0",
                        "vx0",
                        "VNI 42 dev eth0",
                        "to 10.0.0.2",
                        "VNI 42",
                        "veth-n1",
                        "eth0",
                        "10.0.0.1/24",
                        "ip_forward on");
    }

    @Test
    @DisplayName("SVG: no two boxes overlap, and a bridge comes before what hangs off it")
    void svgBoxesDoNotOverlap() throws Exception {
        for (LabSpec spec : List.of(BRIDGE, vxlan(42, 42), CHAIN, TANGLE)) {
            Document doc = parse(LabDiagram.of(ApiBridge.topology(spec)).svg());
            List<double[]> boxes = new ArrayList<>();
            NodeList groups = doc.getElementsByTagName("g");
            for (int i = 0; i < groups.getLength(); i++) {
                boxes.add(bounds((Element)
                        ((Element) groups.item(i)).getElementsByTagName("*").item(0)));
            }
            for (int i = 0; i < boxes.size(); i++) {
                for (int j = i + 1; j < boxes.size(); j++) {
                    double[] a = boxes.get(i);
                    double[] b = boxes.get(j);
                    boolean apart = a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1];
                    assertThat(apart)
                            .as("boxes %d and %d of %s overlap", i, j, spec)
                            .isTrue();
                }
            }
        }
        Document doc = parse(LabDiagram.of(ApiBridge.topology(BRIDGE)).svg());
        assertThat(bounds(group(doc, "n0b0"))[2]).isLessThan(bounds(group(doc, "n1"))[0]);
    }

    @Test
    @DisplayName("SVG: links within one column are arcs that stay clear of the next column")
    void svgArcsStayInTheirGap() throws Exception {
        Document doc = parse(LabDiagram.of(ApiBridge.topology(TANGLE)).svg());
        NodeList paths = doc.getElementsByTagName("path");
        // a-b (a cable in the column of a and b), x1-y1 between c's bridges, three overlay lines.
        assertThat(paths.getLength()).isEqualTo(5);
        NodeList groups = doc.getElementsByTagName("g");
        for (int i = 0; i < paths.getLength(); i++) {
            String[] d = ((Element) paths.item(i)).getAttribute("d").split(" ");
            double start = Math.max(Double.parseDouble(d[1]), Double.parseDouble(d[8]));
            double control = Double.parseDouble(d[4]);
            for (int j = 0; j < groups.getLength(); j++) {
                double[] box = bounds((Element)
                        ((Element) groups.item(j)).getElementsByTagName("*").item(0));
                if (box[0] > start) {
                    assertThat(box[0]).as("box %d left of arc %d's bulge", j, i).isGreaterThan(control);
                }
            }
        }
        assertThat(texts(doc)).contains("a-b - b-a", "x1 - y1", "VNI 9");
    }

    @Test
    @DisplayName("SVG: names are escaped, so the document stays well-formed")
    void svgEscapes() throws Exception {
        LabSpec spec = LabSpec.builder()
                .namespace("a")
                .nft(
                        "a",
                        "table ip t {\n chain c { type filter hook input priority 0; ip saddr < 10.0.0.1 accept; }\n}\n")
                .iptables("a", "-A", "INPUT", "-s", "10.0.0.0/8", "-m", "comment", "--comment", "a&b", "-j", "ACCEPT")
                .build();
        assertThat(texts(parse(LabDiagram.of(ApiBridge.topology(spec)).svg())))
                .contains("nft table ip t", "iptables filter INPUT 10.0.0.0/8 -j ACCEPT");
    }

    @Test
    @DisplayName("the same topology always renders to the same text")
    void deterministic() {
        assertThat(LabDiagram.of(ApiBridge.topology(CHAIN)).svg())
                .isEqualTo(LabDiagram.of(ApiBridge.topology(CHAIN)).svg());
    }

    @Test
    @DisplayName("writeSvg creates the parent directories")
    void writesFile(@TempDir Path dir) throws Exception {
        Path file = LabDiagram.of(ApiBridge.topology(SEED)).writeSvg(dir.resolve("a/b/seed.svg"));
        assertThat(Files.readString(file)).startsWith("<svg ").contains("veth2");
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element group(Document doc, String id) {
        NodeList groups = doc.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element group = (Element) groups.item(i);
            if (group.getAttribute("id").equals(id)) {
                return (Element) group.getElementsByTagName("*").item(0);
            }
        }
        throw new AssertionError("no group " + id);
    }

    /** minX, minY, maxX, maxY of a rect or polygon. */
    private static double[] bounds(Element shape) {
        if (shape.getTagName().equals("rect")) {
            double x = Double.parseDouble(shape.getAttribute("x"));
            double y = Double.parseDouble(shape.getAttribute("y"));
            return new double[] {
                x,
                y,
                x + Double.parseDouble(shape.getAttribute("width")),
                y + Double.parseDouble(shape.getAttribute("height"))
            };
        }
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (String point : shape.getAttribute("points").trim().split("\\s+")) {
            String[] xy = point.split(",");
            double x = Double.parseDouble(xy[0]);
            double y = Double.parseDouble(xy[1]);
            b[0] = Math.min(b[0], x);
            b[1] = Math.min(b[1], y);
            b[2] = Math.max(b[2], x);
            b[3] = Math.max(b[3], y);
        }
        return b;
    }

    @org.junit.jupiter.api.Test
    @DisplayName("per-interface sysctls and IPv6 forwarding read as short notes, with dots or slashes in the key")
    void sysctlNotes() {
        assertThat(SettingNotes.sysctl("net.ipv6.conf.all.forwarding", "1")).isEqualTo("ipv6 forwarding on");
        assertThat(SettingNotes.sysctl("net/ipv4/conf/flannel.1/proxy_arp", "0"))
                .isEqualTo("flannel.1 proxy_arp off");
        assertThat(SettingNotes.sysctl("net.ipv4.neigh.cali1.proxy_delay", "0")).isEqualTo("cali1 proxy_delay 0");
        assertThat(SettingNotes.sysctl("net.ipv4.conf.all.accept_local", "1")).isEqualTo("conf.all.accept_local=1");
    }

    @org.junit.jupiter.api.Test
    @DisplayName(
            "datapath elements: route options, rules, VXLAN options and entries in the device's box, stacked devices, per-interface sysctls")
    void datapathElements() {
        LabSpec spec = LabSpec.builder()
                .node("n1", "10.0.0.10/24")
                .vxlan(
                        "n1",
                        "flannel.1",
                        1,
                        "eth0",
                        dev.netnslab.VxlanOptions.port(8472).withNoLearning().withLocal("10.0.0.10"))
                .neighbour("n1:flannel.1", "10.244.2.0", "02:00:00:00:00:02")
                .fdb("n1:flannel.1", "02:00:00:00:00:02", "10.0.0.20")
                .route(
                        "n1:flannel.1",
                        "10.244.2.0/24",
                        "10.244.2.0",
                        dev.netnslab.RouteOptions.onLink().withMetric(5))
                .blackhole("n1", "10.9.0.0/16", dev.netnslab.RouteOptions.table(100))
                .rule("n1", "10.0.0.0/24", null, 100, RuleOptions.priority(10))
                .namespace("pod")
                .macvlan("pod:eth0", "n1:eth0", "bridge")
                .address("pod", "eth0", "10.0.0.50/24")
                .vrf("n1", "blue", 10)
                .proxyArp("n1", "eth0", true)
                .mac("n1", "flannel.1", "02:00:00:00:00:01")
                .build();
        String mermaid = LabDiagram.of(ApiBridge.topology(spec)).mermaid();
        assertThat(mermaid)
                .contains(
                        "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink metric 5",
                        "blackhole 10.9.0.0/16 table 100",
                        "rule 10: from 10.0.0.0/24 lookup 100",
                        "blue: vrf table 10",
                        "eth0 proxy_arp on",
                        "flannel.1 mac 02:00:00:00:00:01",
                        "port 8472 nolearning local 10.0.0.10<br/>neigh 10.244.2.0 02:00:00:00:00:02<br/>fdb 02:00:00:00:00:02 dst 10.0.0.20",
                        "n1 ---|\"on eth0 — eth0 (macvlan bridge) 10.0.0.50/24\"| n2");
        assertThat(mermaid).doesNotContain("to <br/>");
    }

    private static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagName("text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    @Test
    @DisplayName("a lab over two kernels: each kernel's namespaces in a group, each box naming its kernel")
    void kernelsAsGroups() {
        LabSpec spec = LabSpec.builder()
                .bridge("host", "br0")
                .container("a", "host:br0", "10.0.0.1/24")
                .container("b", "host:br0", "10.0.0.2/24")
                .on("remote", "b")
                .build();
        String mermaid = LabDiagram.of(ApiBridge.topology(spec), java.util.Map.of(), spec::kernelOf)
                .mermaid();
        String here = mermaid.substring(mermaid.indexOf("subgraph kernel0[\"kernel default\"]"));
        here = here.substring(0, here.indexOf("    end"));
        String there = mermaid.substring(mermaid.indexOf("subgraph kernel1[\"kernel remote\"]"));
        there = there.substring(0, there.indexOf("    end"));
        assertThat(here)
                .contains("n0[[", "n0b0{{", "n1[\"<b>a</b>", "<br/>kernel default")
                .doesNotContain("n2[");
        assertThat(there).contains("n2[\"<b>b</b>", "<br/>kernel remote").doesNotContain("n1[");
        assertThat(LabDiagram.of(ApiBridge.topology(spec), java.util.Map.of(), ns -> "default")
                        .mermaid())
                .as("on one kernel, nothing is added")
                .isEqualTo(LabDiagram.of(ApiBridge.topology(spec)).mermaid());
    }
}
