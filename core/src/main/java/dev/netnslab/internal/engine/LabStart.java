package dev.netnslab.internal.engine;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.iproute.BuildPlan;
import dev.netnslab.internal.iproute.NamespaceStep;
import dev.netnslab.internal.iproute.Readiness;
import dev.netnslab.internal.netns.NamespaceThread;
import dev.netnslab.internal.netns.NetlinkBatch;
import dev.netnslab.internal.netns.ProcSysctl;
import dev.netnslab.internal.settings.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole start of a lab, in one place: render the plan, reserve neighbour entries, claim the
 * names, apply the plan to the kernel, and undo all of it if any step fails.
 */
final class LabStart {

    /** How {@code ip -batch} reports the failing line: {@code Command failed -:3}. */
    private static final Pattern FAILED_LINE = Pattern.compile("Command failed -:(\\d+)");

    private final LabEngine lab;
    private final BuildPlan plan;

    private LabStart(LabEngine lab, BuildPlan plan) {
        this.lab = lab;
        this.plan = plan;
    }

    /**
     * Builds {@code engine}'s topology on its kernel and returns it, running.
     *
     * @throws dev.netnslab.InvalidLabSpecException before anything is touched, when the names do not fit
     * @throws NetnsLabException when a step fails; what the lab created has been removed again
     */
    static LabEngine run(LabEngine engine) {
        BuildPlan plan = BuildPlan.render(engine.topology(), name -> name + "-" + engine.id());
        LabStartups.checkInstalled(engine);
        engine.reserveNeighbours();
        try {
            // The ownership record comes first: whatever happens to this JVM from here on, a watchdog
            // or the next run's sweep knows exactly which namespaces to remove.
            engine.claim(List.copyOf(plan.systemNames().values()));
            new LabStart(engine, plan).build();
        } catch (RuntimeException e) {
            engine.releaseNeighbours();
            throw e;
        }
        engine.built(plan.systemNames());
        return engine;
    }

    private void build() {
        List<String> order = new ArrayList<>(plan.systemNames().values());
        if (plan.earlySteps().isEmpty()) {
            root(plan.rootBatch(), order, true);
        } else {
            // The namespaces first, then what must hold before their interfaces exist, then the interfaces.
            List<String> lines = plan.rootBatch();
            root(lines.subList(0, order.size()), order, true);
            runSteps(plan.earlySteps(), order);
            root(lines.subList(order.size(), lines.size()), order, false);
        }
        for (Map.Entry<String, List<String>> batch : plan.linkBatches().entrySet()) {
            ExecResult result =
                    lab.runIp(List.of("-n", batch.getKey(), "-batch", "-"), BuildPlan.script(batch.getValue()));
            if (!result.isSuccess()) {
                fail(
                        "creating devices for other namespaces from " + batch.getKey() + hint(result, batch.getValue()),
                        result,
                        batch.getValue(),
                        order);
            }
        }
        NamespaceBatches.Failure failed;
        try {
            failed = configureNamespaces();
        } catch (RuntimeException e) {
            failed = null;
            fail("configuring the namespaces", e, order);
        }
        if (failed != null) {
            fail(
                    "configuring namespace " + failed.namespace() + hint(failed.result(), failed.lines()),
                    failed.result(),
                    failed.lines(),
                    order);
        }
        runSteps(plan.steps(), order);
        awaitReady(order);
        LabStartups.run(lab, plan.systemNames()).ifPresent(failure -> {
            throw rollback(new NetnsLabException("Could not build lab " + lab.id() + " while " + failure), order);
        });
    }

    /**
     * Runs every namespace's batch: over netlink on the namespace's thread where this JVM may enter
     * the lab's namespaces and the batch has only lines {@link NetlinkBatch} does (no process, and
     * the thread is then ready for the lab's readiness wait and first check), the others with
     * {@code ip -n NS -batch}, several at a time. Returns the first failure in plan order.
     */
    private NamespaceBatches.Failure configureNamespaces() {
        Map<String, List<String>> byProcess = new LinkedHashMap<>();
        Map<String, CompletableFuture<Optional<String>>> inJvm = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> batch : plan.namespaceBatches().entrySet()) {
            Optional<NetlinkBatch> netlink = NetlinkBatch.parse(batch.getValue());
            Optional<NamespaceThread> thread =
                    netlink.isPresent() ? lab.threads().forChecks(batch.getKey()) : Optional.empty();
            if (thread.isPresent()) {
                inJvm.put(
                        batch.getKey(),
                        CompletableFuture.supplyAsync(
                                netlink.get()::run, thread.get().executor()));
            } else {
                byProcess.put(batch.getKey(), batch.getValue());
            }
        }
        NamespaceBatches.Failure byProcessFailed = NamespaceBatches.runAll(
                byProcess,
                lab.settings().get(Setting.BUILD_PARALLELISM),
                (ns, lines) -> lab.runIp(List.of("-n", ns, "-batch", "-"), BuildPlan.script(lines)));
        for (Map.Entry<String, List<String>> batch : plan.namespaceBatches().entrySet()) {
            CompletableFuture<Optional<String>> done = inJvm.get(batch.getKey());
            if (done == null) {
                if (byProcessFailed != null && byProcessFailed.namespace().equals(batch.getKey())) {
                    return byProcessFailed;
                }
                continue;
            }
            Optional<String> error;
            try {
                error = done.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            if (error.isPresent()) {
                return new NamespaceBatches.Failure(
                        batch.getKey(),
                        batch.getValue(),
                        new ExecResult(
                                List.of("netlink", "-n", batch.getKey(), "-batch", "-"),
                                2,
                                "",
                                error.get(),
                                java.time.Duration.ZERO));
            }
        }
        return null;
    }

    /**
     * Runs (part of) the root batch. Until it has run whole, line N failing means the namespaces on
     * earlier lines are ours; after the {@code netns add} lines, all of them are.
     */
    private void root(List<String> lines, List<String> order, boolean addsNamespaces) {
        if (lines.isEmpty()) {
            return;
        }
        ExecResult root = lab.runIp(List.of("-batch", "-"), BuildPlan.script(lines));
        if (!root.isSuccess()) {
            int createdBefore = !addsNamespaces
                    ? order.size()
                    : failedLine(root)
                            .map(line -> Math.min(line - 1, order.size()))
                            .orElse(0);
            fail("creating the namespaces and veth pairs", root, lines, order.subList(0, createdBefore));
        }
    }

    private void runSteps(List<NamespaceStep> steps, List<String> order) {
        for (NamespaceStep step : steps) {
            if (sysctlsWritten(step)) {
                continue;
            }
            ExecResult result = lab.runInNamespace(step.systemName(), step.argv(), step.stdin(), lab.commandTimeout());
            if (!result.isSuccess()) {
                fail(
                        step.what() + " in namespace " + step.namespace()
                                + (step.hint() == null ? "" : " (" + step.hint() + ")"),
                        result,
                        stepLines(step),
                        order);
            }
        }
    }

    /**
     * Does a {@code sysctl -q -w} step on the namespace's thread instead of by a process, where this
     * JVM may enter the namespace; returns whether it did (else the step runs as a process, as before).
     */
    private boolean sysctlsWritten(NamespaceStep step) {
        List<String> argv = step.argv();
        if (step.stdin() != null || argv.size() < 4 || !argv.subList(0, 3).equals(List.of("sysctl", "-q", "-w"))) {
            return false;
        }
        Optional<NamespaceThread> thread = lab.threads().forChecks(step.systemName());
        if (thread.isEmpty()) {
            return false;
        }
        try {
            return thread.get().call(() -> ProcSysctl.write(argv.subList(3, argv.size())));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /**
     * Waits until every interface the lab brought up carries packets (see {@link LabReadiness}),
     * and undoes the build when it does not in time.
     */
    private void awaitReady(List<String> order) {
        Map<String, String> logical = new java.util.HashMap<>();
        plan.systemNames().forEach((name, system) -> logical.put(system, name));
        List<String> dad = plan.dadNamespaces().stream().map(logical::get).toList();
        try {
            new LabReadiness(lab, plan.systemNames()).await(Readiness.ofLab(lab.topology(), dad), "start");
        } catch (NetnsLabException e) {
            throw rollback(
                    new NetnsLabException(
                            "Could not build lab " + lab.id() + "; everything the lab created has been removed. "
                                    + e.getMessage(),
                            e),
                    order);
        }
    }

    /** The hint for the batch line an {@code ip -batch} failure names, as " (...)", or "". */
    private static String hint(ExecResult result, List<String> lines) {
        return failedLine(result)
                .filter(line -> line >= 1 && line <= lines.size())
                .map(line -> BuildPlan.hint(lines.get(line - 1)))
                .map(hint -> " (" + hint + ")")
                .orElse("");
    }

    private static List<String> stepLines(NamespaceStep step) {
        List<String> lines = new ArrayList<>(List.of(dev.netnslab.internal.exec.Command.render(step.argv())));
        if (step.stdin() != null) {
            step.stdin().lines().forEach(line -> lines.add("  " + line));
        }
        return lines;
    }

    private void fail(String step, RuntimeException cause, List<String> created) {
        throw rollback(
                new NetnsLabException(
                        "Could not build lab " + lab.id() + " while " + step
                                + "; everything the lab created so far has been removed: " + cause.getMessage(),
                        cause),
                created);
    }

    private void fail(String step, ExecResult result, List<String> script, List<String> created) {
        throw rollback(
                new NetnsLabException("Could not build lab " + lab.id() + " while " + step
                        + "; everything the lab created so far has been removed.\n" + result.describe()
                        + "\nbatch script:\n  " + String.join("\n  ", script)),
                created);
    }

    /** Deletes what the lab created, then its ownership record; what goes wrong rides along with {@code failure}. */
    private NetnsLabException rollback(NetnsLabException failure, List<String> created) {
        try {
            // A thread the readiness check started inside a namespace would keep it alive.
            lab.threads().close().forEach(failure::addSuppressed);
            lab.deleteNamespaces(created);
            lab.releaseClaim();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    private static java.util.Optional<Integer> failedLine(ExecResult result) {
        Matcher matcher = FAILED_LINE.matcher(result.stderr());
        return matcher.find() ? java.util.Optional.of(Integer.parseInt(matcher.group(1))) : java.util.Optional.empty();
    }
}
