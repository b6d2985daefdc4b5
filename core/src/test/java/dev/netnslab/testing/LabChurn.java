package dev.netnslab.testing;

import static dev.netnslab.assertj.NetnsAssertions.assertThat;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.internal.Deadline;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Another tenant of the machine, to run the suite next to: builds and tears down labs in a loop, as
 * a second build on a shared CI agent would, until it is stopped (SIGTERM or SIGINT) or its time is
 * up (the first argument, in seconds; 30 minutes by default). Each lab pings inside itself only.
 * On a stop it finishes the lab in hand, so it leaves nothing behind.
 *
 * <pre>
 * ./mvnw -q -pl core dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp core/target/test-classes:core/target/classes:$(cat core/target/cp.txt) dev.netnslab.testing.LabChurn 600 &amp;
 * </pre>
 */
public final class LabChurn {

    private LabChurn() {}

    public static void main(String[] args) throws InterruptedException {
        Deadline deadline = Deadline.in(Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 1800));
        AtomicBoolean stop = new AtomicBoolean();
        Thread loop = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.set(true);
            try {
                loop.join(Duration.ofSeconds(20).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));

        LabSpec seed = LabSpec.singleNamespace("churn", "10.200.9.1", null);
        LabSpec bridge = LabSpec.builder()
                .bridge("host", "br0", "172.16.9.1/24")
                .container("left", "host:br0", "172.16.9.2/24")
                .container("right", "host:br0", "172.16.9.3/24")
                .build();
        long labs = 0;
        long failedPings = 0;
        long started = System.nanoTime();
        while (!stop.get() && !deadline.isPast()) {
            boolean seedTurn = labs % 2 == 0;
            try (Lab lab = Lab.start(seedTurn ? seed : bridge, Kernel.backend())) {
                if (seedTurn) {
                    assertThat(lab.host()).canPing("10.200.9.1");
                } else {
                    assertThat(lab.namespace("left")).canPing("172.16.9.3");
                }
            } catch (AssertionError e) {
                // The churn is the point, not its pings: on a loaded machine one may miss its budget.
                failedPings++;
                System.out.println(
                        "churn: " + e.getMessage().lines().findFirst().orElse(""));
            }
            labs++;
            if (labs % 50 == 0) {
                System.out.printf(
                        "churn: %d labs in %d s%n",
                        labs, Duration.ofNanos(System.nanoTime() - started).toSeconds());
            }
        }
        System.out.printf(
                "churn: stopped after %d labs in %d s (%d pings missed their budget)%n",
                labs, Duration.ofNanos(System.nanoTime() - started).toSeconds(), failedPings);
    }
}
