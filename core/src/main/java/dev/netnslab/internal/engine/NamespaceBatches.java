package dev.netnslab.internal.engine;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * Runs the per-namespace {@code ip -n NS -batch -} processes of a build a few at a time. They are
 * independent (each touches only its own namespace), and on a star of 200 hosts they are 200 of the
 * build's 203 processes: starting them from the JVM costs more than from a shell, and running a few
 * side by side wins that back (see docs/benchmarks.md).
 */
final class NamespaceBatches {

    /** One failed batch: its namespace, lines and result. */
    record Failure(String namespace, List<String> lines, ExecResult result) {}

    private NamespaceBatches() {}

    /**
     * Runs {@code run} for every batch, {@code parallelism} at a time (1 runs them in order on the
     * calling thread), waits for all, and returns the first failure in plan order, if any.
     */
    static Failure runAll(
            Map<String, List<String>> batches, int parallelism, BiFunction<String, List<String>, ExecResult> run) {
        if (parallelism <= 1 || batches.size() <= 1) {
            for (Map.Entry<String, List<String>> batch : batches.entrySet()) {
                ExecResult result = run.apply(batch.getKey(), batch.getValue());
                if (!result.isSuccess()) {
                    return new Failure(batch.getKey(), batch.getValue(), result);
                }
            }
            return null;
        }
        // Platform threads on purpose: each one blocks in a process wait, and they must not share a carrier.
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, batches.size()), runnable -> {
            Thread thread = new Thread(runnable, "netnslab-build");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Map.Entry<String, List<String>>> entries = new ArrayList<>(batches.entrySet());
            List<Future<ExecResult>> results = new ArrayList<>();
            for (Map.Entry<String, List<String>> batch : entries) {
                results.add(pool.submit(() -> run.apply(batch.getKey(), batch.getValue())));
            }
            Failure first = null;
            RuntimeException error = null;
            for (int i = 0; i < results.size(); i++) {
                try {
                    ExecResult result = results.get(i).get();
                    if (first == null && !result.isSuccess()) {
                        first = new Failure(
                                entries.get(i).getKey(), entries.get(i).getValue(), result);
                    }
                } catch (ExecutionException e) {
                    if (error == null) {
                        error = e.getCause() instanceof RuntimeException
                                ? (RuntimeException) e.getCause()
                                : new NetnsLabException(
                                        "Configuring namespace "
                                                + entries.get(i).getKey() + " failed",
                                        e.getCause());
                    }
                }
            }
            if (error != null) {
                throw error;
            }
            return first;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetnsLabException("Interrupted while configuring the lab's namespaces", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
