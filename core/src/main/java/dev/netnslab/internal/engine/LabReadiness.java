package dev.netnslab.internal.engine;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.iproute.LinkState;
import dev.netnslab.internal.iproute.Readiness;
import dev.netnslab.internal.netns.NamespaceThread;
import dev.netnslab.internal.netns.RouteNetlink;
import dev.netnslab.internal.settings.Setting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waits, within {@code netnslab.ready.timeout}, until the interfaces a lab brought up carry packets
 * (see {@link Readiness}). Where this JVM may enter the lab's namespaces, each namespace's state is
 * one netlink read on its thread, no process; elsewhere one {@code ip -d -o -batch -} per namespace
 * prints its links and addresses. A veth whose carrier came while the kernel's link watcher was
 * busy becomes operational up to a second later, and drops every packet until then: this wait is
 * what keeps a test's first packet from being lost.
 */
final class LabReadiness {

    private static final Duration IN_PROCESS_POLL = Duration.ofMillis(2);
    private static final Duration PROCESS_POLL = Duration.ofMillis(25);

    private final LabEngine lab;
    private final Map<String, String> systemNames;

    /**
     * @param systemNames logical namespace name to system name, for the namespaces to check
     */
    LabReadiness(LabEngine lab, Map<String, String> systemNames) {
        this.lab = lab;
        this.systemNames = systemNames;
    }

    /**
     * Returns once every {@code expected} interface (by logical namespace) is ready.
     *
     * @param after what the lab just did, for the message: {@code "start"}, {@code "link(ns, eth0).up()"}
     * @throws NetnsLabException when the timeout passes first, or duplicate address detection failed,
     *                           naming each interface that is not ready and its state
     */
    void await(Map<String, List<Readiness.Expected>> expected, String after) {
        Duration timeout = lab.settings().get(Setting.READY_TIMEOUT);
        Deadline deadline = Deadline.in(timeout);
        Map<String, List<Readiness.Expected>> waiting = new LinkedHashMap<>(expected);
        boolean inProcess = true;
        while (true) {
            Map<String, List<String>> problems = new LinkedHashMap<>();
            for (Map.Entry<String, List<Readiness.Expected>> entry : new ArrayList<>(waiting.entrySet())) {
                String system = systemNames.get(entry.getKey());
                Optional<NamespaceThread> thread = lab.threads().forChecks(system);
                inProcess &= thread.isPresent();
                Map<String, LinkState> states = read(system, thread);
                List<String> failed = Readiness.dadFailures(states, entry.getValue());
                if (!failed.isEmpty()) {
                    throw new NetnsLabException("Lab " + lab.id() + " is not usable after " + after + ": in namespace "
                            + entry.getKey() + ", IPv6 duplicate address detection found another node using "
                            + failed + " on the link. Give each node its own address.");
                }
                List<String> notReady = Readiness.problems(states, entry.getValue());
                if (notReady.isEmpty()) {
                    waiting.remove(entry.getKey());
                } else {
                    problems.put(entry.getKey(), notReady);
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (deadline.isPast()) {
                throw notReady(problems, after, timeout);
            }
            deadline.sleep(inProcess ? IN_PROCESS_POLL : PROCESS_POLL, "for lab " + lab.id() + " to be ready");
        }
    }

    private Map<String, LinkState> read(String system, Optional<NamespaceThread> thread) {
        if (thread.isPresent()) {
            try {
                return thread.get().call(RouteNetlink::read);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new NetnsLabException("Reading the interfaces of " + system + " was interrupted", e);
            }
        }
        ExecResult result = lab.runIp(List.of("-d", "-o", "-n", system, "-batch", "-"), "link show\naddr show\n");
        if (!result.isSuccess()) {
            throw new NetnsLabException(
                    "Could not read the interfaces of lab " + lab.id() + " in " + system + "\n" + result.describe());
        }
        return LinkState.parse(result.stdout());
    }

    private NetnsLabException notReady(Map<String, List<String>> problems, String after, Duration timeout) {
        StringBuilder text = new StringBuilder("Lab ")
                .append(lab.id())
                .append(" was not ready within ")
                .append(Setting.format(timeout))
                .append(" (")
                .append(Setting.READY_TIMEOUT.key())
                .append(") after ")
                .append(after)
                .append(": an interface it brings up must be up with carrier, forwarding if it is a bridge port,"
                        + " and without tentative IPv6 addresses before packets may flow.");
        problems.forEach((ns, lines) -> lines.forEach(
                line -> text.append("\n  namespace ").append(ns).append(", ").append(line)));
        text.append("\nA veth has carrier only when both of its ends are up; a bridge port forwards only when it has"
                        + " carrier. If the spec, a sysctl or a startup takes an interface down or cuts it off on purpose, leave"
                        + " it out of the lab or bring it up; on a heavily loaded machine, raise ")
                .append(Setting.READY_TIMEOUT.key())
                .append('.');
        return new NetnsLabException(text.toString());
    }
}
