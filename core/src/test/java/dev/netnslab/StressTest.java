package dev.netnslab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.internal.engine.NeighbourBudget;
import dev.netnslab.testing.Kernel;
import dev.netnslab.testing.KernelSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many labs built and torn down at once leave nothing behind. */
@Tag("kernel")
@DisplayName("Stress")
class StressTest {

    private static final int LABS = 200;
    private static final int THREADS = 8;

    @Test
    // Against a hang only: the test checks what the labs leave behind; speed is the benchmarks' business.
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    @DisplayName("200 labs built and torn down on 8 threads leave no namespace, record or root link behind")
    void twoHundredLabsOnEightThreads() throws Exception {
        KernelSnapshot before = KernelSnapshot.take();
        NeighbourBudget budget = NeighbourBudget.of(Kernel.backend());
        int reservedBefore = budget.reserved();
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        LabSpec seed = LabSpec.singleNamespace("netns1", "10.200.1.1", null);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < LABS; i++) {
                futures.add(pool.submit(() -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try (Lab lab = Lab.start(seed, Kernel.backend())) {
                        ids.add(lab.id());
                        assertThat(lab.namespace("netns1").systemName()).endsWith(lab.id());
                        assertThat(lab.namespace("netns1")
                                        .exec("ip", "-br", "addr", "show", "veth2")
                                        .stdout())
                                .as("lab %s was built", lab.id())
                                .contains("10.200.1.1/24");
                    } finally {
                        running.decrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ids).hasSize(LABS).doesNotHaveDuplicates();
        assertThat(Kernel.namespacesOf(ids)).as("namespaces left behind").isEmpty();
        assertThat(ids.stream()
                        .map(id -> Path.of("/run/netnslab/labs", id + ".lab"))
                        .filter(Files::exists))
                .as("ownership records left behind")
                .isEmpty();
        KernelSnapshot.take().assertUnchangedSince(before);
        assertThat(peak.get()).isGreaterThan(1).isLessThanOrEqualTo(THREADS);
        assertThat(budget.reserved()).as("neighbour entries still reserved").isEqualTo(reservedBefore);
    }
}
