package dev.netnslab.internal.engine;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.fault.FaultRules;
import dev.netnslab.internal.iproute.BuildPlan;
import dev.netnslab.internal.iproute.NamespaceSettings;
import dev.netnslab.internal.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The impairments of what arrives on one interface of a running lab. Loss is an nft table of its
 * own that drops in the prerouting hook (ARP and neighbour discovery spared, as outbound loss
 * does). A rate and netem's settings need a queue, and a packet that arrives has none: the
 * interface gets the {@code ingress} qdisc with a filter that redirects every arriving packet to an
 * {@code ifb} device the library creates in the same namespace, and that device's root qdisc shapes
 * them before they go on as if they had just arrived. Undoing deletes the table, the ingress
 * qdisc and the ifb device; deleting the namespace does the same.
 *
 * <p>Guarded by the lock of the {@link InterfaceFaults} it belongs to, which reads it for notes.
 */
public final class InboundFaults {

    private final InterfaceFaults link;
    private final LabFaults faults;
    private final LabNamespace ns;
    private final String iface;
    private double loss;
    private String lossTable;
    /** The inbound rate the lab was built with, on the ifb device {@link #builtIfb}; NONE without one. */
    private final QdiscShape built;

    private final String builtIfb;
    private QdiscShape shape;
    private String ifb;

    InboundFaults(InterfaceFaults link, LabFaults faults, LabNamespace ns, String iface) {
        this.link = link;
        this.faults = faults;
        this.ns = ns;
        this.iface = iface;
        Topology topology = ns.lab().topology();
        String rate = topology.links().stream()
                .filter(l -> l.namespace().equals(ns.name()) && l.iface().equals(iface))
                .map(l -> l.inbound().rate())
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(null);
        this.built = rate == null ? QdiscShape.NONE : QdiscShape.NONE.withRate(rate);
        this.builtIfb = rate == null ? null : NamespaceSettings.inboundDevice(topology, ns.name(), iface);
        this.shape = built;
        this.ifb = builtIfb;
    }

    /**
     * Drops {@code percent} of the IP packets arriving on the interface, replacing an earlier
     * inbound loss; 0 removes it.
     */
    public void loss(double percent) {
        synchronized (link) {
            FaultRules.loss(call("loss(" + percent + ")"), percent);
            String old = lossTable;
            if (percent > 0) {
                String table = faults.nextTable("inloss");
                nft(
                        FaultRules.lossTable(table, iface, percent, true),
                        "add " + FaultRules.percent(percent) + " inbound loss");
                lossTable = table;
            } else {
                lossTable = null;
            }
            loss = percent;
            if (old != null) {
                nft(FaultRules.deleteTable(old), "remove the earlier inbound loss");
            }
        }
    }

    /** Limits the rate of what arrives on the interface (tbf on its ifb). */
    public void rate(String rate) {
        synchronized (link) {
            String call = call("rate(\"" + rate + "\")");
            FaultRules.rate(call, rate);
            shape(call, shape.withRate(rate));
        }
    }

    /** Delays what arrives by {@code delay}, give or take {@code jitter} (netem on its ifb). */
    public void delay(Duration delay, Duration jitter) {
        synchronized (link) {
            String call = call(FaultRules.delayCall(delay, jitter));
            FaultRules.delay(call, delay);
            FaultRules.jitter(call, delay, jitter);
            shape(call, shape.withDelay(delay, jitter));
        }
    }

    /** Duplicates {@code percent} of what arrives (netem on its ifb); 0 removes it. */
    public void duplicate(double percent) {
        synchronized (link) {
            String call = call("duplicate(" + percent + ")");
            FaultRules.share(call, "duplicate", percent);
            shape(call, shape.withDuplicate(percent));
        }
    }

    /** Flips a random bit in {@code percent} of what arrives (netem on its ifb); 0 removes it. */
    public void corrupt(double percent) {
        synchronized (link) {
            String call = call("corrupt(" + percent + ")");
            FaultRules.share(call, "corrupt", percent);
            shape(call, shape.withCorrupt(percent));
        }
    }

    /** Lets {@code percent} of what arrives overtake the delayed rest (netem on its ifb); needs a delay. */
    public void reorder(double percent) {
        synchronized (link) {
            String call = call("reorder(" + percent + ")");
            FaultRules.share(call, "reorder", percent);
            shape(call, shape.withReorder(percent));
        }
    }

    /** The ifb device that shapes what arrives, or {@code null} while there is none. */
    public String ifb() {
        synchronized (link) {
            return ifb;
        }
    }

    /**
     * Undoes every inbound impairment: the loss table, the redirect and the ifb device go. Carries
     * on past errors and throws the first with the others suppressed.
     */
    public void clear() {
        synchronized (link) {
            List<RuntimeException> problems = new ArrayList<>();
            if (lossTable != null) {
                String table = lossTable;
                attempt(problems, () -> nft(FaultRules.deleteTable(table), "remove the inbound loss"));
                lossTable = null;
                loss = 0;
            }
            if (built.any()) {
                if (!shape.equals(built)) {
                    attempt(problems, () -> restoreBuilt());
                }
            } else if (ifb != null) {
                attempt(problems, this::removeRedirect);
            }
            shape = built;
            if (!problems.isEmpty()) {
                RuntimeException first = problems.get(0);
                problems.subList(1, problems.size()).forEach(first::addSuppressed);
                throw first;
            }
        }
    }

    /** Adds what is active beyond what the lab was built with to a link's notes, each as {@code inbound loss 30%}. */
    void describe(List<String> parts) {
        if (lossTable != null) {
            parts.add("inbound loss " + FaultRules.percent(loss));
        }
        if (!shape.equals(built)) {
            shape.describe(parts, "inbound ");
        }
    }

    /** The lab is closing and deletes the namespace, with the table and the ifb device in it. */
    void forget() {
        lossTable = null;
        shape = built;
        ifb = builtIfb;
    }

    /** Puts back the tbf the lab built on its ifb device. */
    private void restoreBuilt() {
        ExecResult result = faults.engine()
                .runInNamespace(
                        ns.systemName(),
                        built.argv(builtIfb),
                        null,
                        faults.engine().commandTimeout());
        if (!result.isSuccess()) {
            throw new NetnsLabException("Could not restore the inbound rate " + built.rate() + " the lab built on "
                    + link + "\n" + result.describe());
        }
    }

    /** Makes {@code next} the shape of what arrives, or leaves everything as it was. */
    private void shape(String call, QdiscShape next) {
        next.checkReorder(call);
        if (!next.any()) {
            if (ifb != null) {
                removeRedirect();
            }
            shape = next;
            return;
        }
        boolean created = ifb == null;
        String device = created ? faults.nextDevice() : ifb;
        if (created) {
            ExecResult added = faults.engine()
                    .runIp(List.of("-n", ns.systemName(), "-batch", "-"), BuildPlan.script(FaultRules.ifbAdd(device)));
            if (!added.isSuccess()) {
                deleteQuietly(device);
                throw new NetnsLabException(call + " needs an ifb device (the kernel's CONFIG_IFB) to queue the"
                        + " packets that arrive, and it could not be created: "
                        + added.stderr().strip()
                        + ". On a kernel without ifb, shape the other end of the cable instead"
                        + " (lab.cable(ns, iface) or lab.link(peer, iface)); inbound loss needs only nft."
                        + " Nothing was changed: " + link + " is as it was.\n" + added.describe());
            }
        }
        ExecResult shaped = faults.engine()
                .runInNamespace(
                        ns.systemName(),
                        next.argv(device),
                        null,
                        faults.engine().commandTimeout());
        if (!shaped.isSuccess()) {
            if (created) {
                deleteQuietly(device);
            }
            if (FaultRules.netemMissing(shaped.stderr())) {
                throw new NetnsLabException(NamespaceSettings.netemMissing(call) + " Nothing was changed: " + link
                        + " is as it was.\n" + shaped.describe());
            }
            throw new NetnsLabException("Could not apply " + call + " on the ifb device " + device + " of " + link
                    + "; nothing was changed.\n" + shaped.describe());
        }
        if (created) {
            ExecResult redirected = faults.engine()
                    .runInNamespace(
                            ns.systemName(),
                            List.of("tc", "-batch", "-"),
                            BuildPlan.script(FaultRules.ingressRedirect(iface, device)),
                            faults.engine().commandTimeout());
            if (!redirected.isSuccess()) {
                faults.engine()
                        .runInNamespace(
                                ns.systemName(),
                                FaultRules.ingressClear(iface),
                                null,
                                faults.engine().commandTimeout());
                deleteQuietly(device);
                throw new NetnsLabException(call + " needs the ingress qdisc, the u32 filter and the mirred"
                        + " action to send what arrives on " + iface + " through the ifb device, and tc refused: "
                        + redirected.stderr().strip() + ". If " + iface + " has an ingress qdisc of its own,"
                        + " remove it first; where the kernel lacks one of them, shape the other end of the cable"
                        + " instead (lab.cable(ns, iface)). Nothing was changed: " + link + " is as it was.\n"
                        + redirected.describe());
            }
            ifb = device;
        }
        shape = next;
    }

    private void removeRedirect() {
        String device = ifb;
        ifb = null;
        ExecResult cleared = faults.engine()
                .runInNamespace(
                        ns.systemName(),
                        FaultRules.ingressClear(iface),
                        null,
                        faults.engine().commandTimeout());
        ExecResult deleted = faults.engine().runIp(List.of("-n", ns.systemName(), "link", "del", "dev", device), null);
        for (ExecResult result : List.of(cleared, deleted)) {
            if (!result.isSuccess()) {
                throw new NetnsLabException("Could not remove the inbound shaping (ingress qdisc and ifb device "
                        + device + ") of " + link + "\n" + result.describe());
            }
        }
    }

    private void deleteQuietly(String device) {
        faults.engine().runIp(List.of("-n", ns.systemName(), "link", "del", "dev", device), null);
    }

    private String call(String method) {
        return "lab.link(\"" + ns.name() + "\", \"" + iface + "\").inbound()." + method;
    }

    private void nft(String script, String what) {
        ExecResult result = faults.engine()
                .runInNamespace(
                        ns.systemName(),
                        List.of("nft", "-f", "-"),
                        script,
                        faults.engine().commandTimeout());
        if (!result.isSuccess()) {
            boolean missing = result.stderr().contains("No such file or directory");
            throw new NetnsLabException("Could not " + what + " on " + link
                    + (missing ? " (nft must be installed: apt-get install -y nftables)" : "") + "\n"
                    + result.describe());
        }
    }

    private static void attempt(List<RuntimeException> problems, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            problems.add(e);
        }
    }
}
