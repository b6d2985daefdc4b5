package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.Namespace;
import dev.netnslab.junit.NetnsLabExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The third way in: a lab computed at run time and registered with {@code @RegisterExtension}. Here
 * the subnet comes from a system property, as it might from a file or the environment; a static
 * field gives one lab for the class, an instance field one per test. The checks are the
 * single-namespace ones, each with its broken twin.
 */
@Tag("kernel")
@DisplayName("@RegisterExtension: a lab computed in code")
class ComputedLabTest {

    /** {@code -Dexample.subnet=10.61.0} moves the lab; the default keeps it off the usual ranges. */
    private static final String SUBNET = System.getProperty("example.subnet", "10.61.0");

    @RegisterExtension
    static NetnsLabExtension lab =
            NetnsLabExtension.of(LabSpec.singleNamespace("app", SUBNET + ".2/24", SUBNET + ".1"));

    /** A lab of its own for every test, so the broken twin cannot disturb the others. */
    @RegisterExtension
    NetnsLabExtension perTest =
            NetnsLabExtension.of(LabSpec.singleNamespace("scratch", SUBNET + ".2/24", SUBNET + ".1"));

    @Test
    @DisplayName("the computed addresses are where the spec put them")
    void shape() {
        Namespace app = lab.lab().namespace("app");
        assertThat(app).hasInterface("veth2").hasAddress(SUBNET + ".2/24").hasRoute("default");
        assertThat(lab.lab().host()).hasInterface("veth1").hasAddress(SUBNET + ".1/24");
    }

    @Test
    @DisplayName("the host and the namespace ping each other")
    void reach() {
        Lab running = lab.lab();
        assertThat(running.host()).canPing(SUBNET + ".2");
        assertThat(running.namespace("app")).canPing(running.host().address());
    }

    @Test
    @DisplayName("broken twin: with the per-test lab's link down, neither side reaches the other")
    void brokenTwin() {
        Namespace scratch = perTest.lab().namespace("scratch");
        scratch.exec("ip", "link", "set", "veth2", "down");
        assertThat(perTest.lab().host()).cannotPing(SUBNET + ".2");
        assertThat(scratch).cannotPing(SUBNET + ".1");
        assertThatThrownBy(() -> assertThat(scratch).canPing(SUBNET + ".1"))
                .hasMessageContaining("Expecting namespace <scratch> to reach <" + SUBNET + ".1>");
        assertThat(perTest.lab().id()).isNotEqualTo(lab.lab().id());
    }
}
