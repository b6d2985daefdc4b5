package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.internal.topology.Topology;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("LabSpec (pure: no kernel needed)")
class LabSpecTest {

    @Test
    void singleNamespaceLabIsOneNamespaceOnAVethPairWithADefaultRoute() {
        Topology t = LabSpec.singleNamespace("netns1", "10.200.1.1", null).topology();
        assertThat(t.namespaces()).containsExactly("netns1");
        assertThat(t.veths())
                .containsExactly(
                        new Topology.Veth(new Topology.End("host", "veth1"), new Topology.End("netns1", "veth2")));
        assertThat(t.primaryAddress("host")).hasToString("10.200.1.254/24");
        assertThat(t.primaryAddress("netns1")).hasToString("10.200.1.1/24");
        assertThat(t.routes()).singleElement().satisfies(r -> {
            assertThat(r.namespace()).isEqualTo("netns1");
            assertThat(r.destination().isDefault()).isTrue();
            assertThat(r.via()).hasToString("10.200.1.254");
        });
    }

    @Test
    void hostIpDefaultsToHighestUsableAddressOfAnyPrefix() {
        assertThat(LabSpec.singleNamespace("a", "192.168.7.1/30", "").topology().primaryAddress("host"))
                .hasToString("192.168.7.2/30");
        assertThat(LabSpec.singleNamespace("a", "10.1.2.3/16", "").topology().primaryAddress("host"))
                .hasToString("10.1.255.254/16");
        // when ip itself is the highest usable address the host takes the lowest instead
        assertThat(LabSpec.singleNamespace("a", "10.0.0.254", "").topology().primaryAddress("host"))
                .hasToString("10.0.0.1/24");
    }

    @Test
    void explicitHostIpTakesTheNamespacePrefix() {
        assertThat(LabSpec.singleNamespace("a", "10.9.0.5/16", "10.9.200.1")
                        .topology()
                        .primaryAddress("host"))
                .hasToString("10.9.200.1/16");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "ns     | ns;reboot     | 10.200.1.1    | ''            | [A-Za-z0-9_.-]",
                "ip     | netns1        | 10.200.1.300  | ''            | 0-255",
                "ip     | netns1        | 10.200.1.1/32 | ''            | leaves no second address",
                "hostIp | netns1        | 10.200.1.1    | 10.200.2.1    | inside ip's subnet 10.200.1.0/24",
                "hostIp | netns1        | 10.200.1.1    | 10.200.1.1    | must differ from ip",
                "hostIp | netns1        | 10.200.1.1    | 10.200.1.255  | broadcast",
                "hostIp | netns1        | 10.200.1.1    | 10.200.1.2/16 | prefix must match",
                "hostIp | netns1        | 10.200.1.1    | 10.200.1      | exactly 4"
            })
    void rejectsBadAttributes(String attribute, String ns, String ip, String hostIp, String rule) {
        String value = attribute.equals("ns") ? ns : attribute.equals("ip") ? ip : hostIp;
        assertThatThrownBy(() -> LabSpec.singleNamespace(ns, ip, hostIp))
                .isInstanceOf(InvalidLabSpecException.class)
                .hasMessageStartingWith(attribute + " '" + value + "' is invalid: ")
                .hasMessageContaining(rule)
                .extracting(e -> ((InvalidLabSpecException) e).attribute())
                .isEqualTo(attribute);
    }

    @Test
    void builderRejectsUnknownNamespacesAndOffLinkGateways() {
        assertThatThrownBy(() -> LabSpec.builder().veth("host:a", "nowhere:b").build())
                .hasMessageContaining("'nowhere' is invalid: it refers to an unknown namespace; the lab has [host]");
        assertThatThrownBy(() -> LabSpec.builder()
                        .namespace("n")
                        .veth("host:a", "n:b")
                        .address("n", "b", "10.0.0.1/24")
                        .route("n", "default", "10.0.1.1")
                        .build())
                .hasMessageContaining("'10.0.1.1' is invalid: the kernel needs to reach a gateway directly");
        assertThatThrownBy(() -> LabSpec.builder().namespace("n").namespace("n").build())
                .hasMessageContaining("declared twice");
        assertThatThrownBy(() -> LabSpec.builder()
                        .namespace("n")
                        .veth("host:a", "n:b")
                        .address("n", "b", "10.0.0.1/24")
                        .address("n", "b", "10.0.0.1/24")
                        .build())
                .hasMessageContaining("an interface can hold an address once");
    }
}
