package dev.netnslab.junit;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.LabTopology;
import dev.netnslab.Namespace;
import dev.netnslab.testing.Kernel;
import dev.netnslab.testing.SecondMachine;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** {@code @NetnsLab(topology = ...)} over two kernels, the second one named only in the configuration. */
@Tag("kernel")
@DisplayName("@NetnsLab labs span kernels from netnslab.kernels.<name>")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelsFromSettingsTest {

    /** The system names of the namespaces the fixture saw. */
    static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();

    private SecondMachine machine;

    @BeforeAll
    void start() {
        assumeTrue(SecondMachine.available(), "making a second machine needs root and sshd");
        machine = SecondMachine.start();
    }

    @AfterAll
    void stop() {
        if (machine != null) {
            machine.close();
        }
    }

    /** a here, b on the kernel called remote. */
    public static class Split implements LabTopology {
        @Override
        public LabSpec define() {
            return LabSpec.builder()
                    .namespace("a")
                    .namespace("b")
                    .veth("a:eth0", "b:eth0")
                    .address("a", "eth0", "10.79.0.1/24")
                    .address("b", "eth0", "10.79.0.2/24")
                    .on("remote", "b")
                    .build();
        }
    }

    @NetnsLab(topology = Split.class)
    static class SplitTestCase {
        @Test
        void acrossKernels(Lab lab, @Netns("b") Namespace b) {
            lab.namespaces().forEach(ns -> SEEN.add(ns.systemName()));
            assertThat(b.kernel()).isEqualTo("remote");
            assertThat(lab.namespace("a").kernel()).isEqualTo("default");
            assertThat(lab.namespace("a")).canPing("10.79.0.2");
        }
    }

    @Test
    @DisplayName("the lab's kernel 'remote' comes from the configuration; nothing is left on either")
    void fromConfiguration() {
        SEEN.clear();
        Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(SplitTestCase.class))
                .configurationParameter("netnslab.kernels.remote", machine.uri())
                .execute()
                .testEvents();
        events.assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(SEEN).hasSize(2);
        assertThat(Kernel.namespaces()).doesNotContainAnyElementsOf(List.copyOf(SEEN));
        assertThat(machine.links()).containsExactly("lo", "eth0");
    }

    @Test
    @DisplayName("twin: without it, the lab is refused before anything is created, naming the kernels that exist")
    void withoutConfiguration() {
        SEEN.clear();
        Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(SplitTestCase.class))
                .execute()
                // A class-level lab that cannot start fails its class, not its tests.
                .allEvents();
        events.assertThatEvents()
                .haveExactly(
                        1,
                        event(finishedWithFailure(
                                instanceOf(InvalidLabSpecException.class),
                                message(m -> m.contains("kernel 'remote', but no kernel has that name; the kernels"
                                        + " that exist are [default]")))));
        assertThat(SEEN).isEmpty();
    }
}
