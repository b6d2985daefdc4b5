package dev.netnslab.examples;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.Lab;
import dev.netnslab.Namespace;
import dev.netnslab.junit.NetnsLabExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The second way in: {@code @ExtendWith(NetnsLabExtension.class)} alone builds {@code @NetnsLab}'s
 * default lab (netns1 at 10.200.1.1, the host side at 10.200.1.254) for the class, and runs the
 * single-namespace checks on it. {@link WithTheCablePulled} breaks the link and expects them to fail.
 */
@Tag("kernel")
@DisplayName("@ExtendWith(NetnsLabExtension.class): the default lab")
@ExtendWith(NetnsLabExtension.class)
class ExtendWithTest {

    @Test
    @DisplayName("the namespace and both ends of the veth pair are there")
    void shape(Lab lab, Namespace ns) {
        assertThat(ns)
                .hasInterface("veth2")
                .hasNoInterface("veth1")
                .hasAddress("10.200.1.1/24")
                .hasRoute("default");
        assertThat(lab.host())
                .hasInterface("veth1")
                .hasAddress("10.200.1.254/24")
                .hasRoute("10.200.1.0/24");
    }

    @Test
    @DisplayName("the host and the namespace ping each other")
    void reach(Lab lab, Namespace ns) {
        assertThat(lab.host()).canPing("10.200.1.1");
        assertThat(ns).canPing(lab.host().address());
    }

    @Nested
    @DisplayName("with the cable pulled")
    @ExtendWith(NetnsLabExtension.class)
    class WithTheCablePulled {

        @Test
        @DisplayName("neither side reaches the other, and canPing says so")
        void noReach(Lab lab, Namespace ns) {
            ns.exec("ip", "link", "set", "veth2", "down");
            assertThat(lab.host()).cannotPing("10.200.1.1");
            assertThat(ns).cannotPing("10.200.1.254");
            assertThatThrownBy(() -> assertThat(lab.host()).canPing("10.200.1.1"))
                    .hasMessageContaining("Expecting namespace <host> to reach <10.200.1.1>");
        }
    }
}
