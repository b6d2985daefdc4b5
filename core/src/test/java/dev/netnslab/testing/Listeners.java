package dev.netnslab.testing;

import static org.awaitility.Awaitility.await;

import dev.netnslab.Namespace;
import java.time.Duration;

/** Waits for a server that a test spawned in a namespace: spawning returns before it listens. */
public final class Listeners {

    private Listeners() {}

    /** Returns once a TCP socket listens on {@code port} in {@code ns}; fails the test after 10 s. */
    public static void awaitListening(Namespace ns, int port) {
        await("a TCP listener on port " + port + " in namespace " + ns.name())
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> ns.exec("ss", "-Hltn", "sport = :" + port).stdout().contains(":" + port));
    }
}
