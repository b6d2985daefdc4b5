package dev.netnslab.internal.diagnostics;

import dev.netnslab.ExecResult;
import dev.netnslab.InterfaceAddress;
import dev.netnslab.Neighbour;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.engine.ConnectionFaults;
import dev.netnslab.internal.engine.LabEngine;
import dev.netnslab.internal.engine.LabNamespace;
import dev.netnslab.internal.engine.PartitionCut;
import dev.netnslab.internal.engine.SpanningLab;
import dev.netnslab.internal.iproute.BridgeJson;
import dev.netnslab.internal.iproute.IpJson;
import dev.netnslab.internal.iproute.IpLiteral;
import dev.netnslab.internal.iproute.LinkDetail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Answers {@link PathWalk}'s questions from a running lab, reading each namespace's state once per
 * walk. Every read has a short time limit, and the whole walk a deadline: past it, reads answer
 * "unknown" and the walk ends where it is. It only reads state: the only traffic is the one probe
 * of {@link #probe(Runnable)}, which the caller aims at the lab's own addresses.
 */
final class LabPathView implements PathView {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

    private final LabEngine lab;
    private final Map<String, LabNamespace> namespaces = new LinkedHashMap<>();
    private final Deadline deadline;
    private final Map<String, Object> cache = new HashMap<>();
    private final Map<String, List<String>> drops = new HashMap<>();

    LabPathView(LabEngine lab, Duration budget) {
        this.lab = lab;
        // Over every kernel of the lab: a packet that enters a tunnel is followed to the other kernel.
        namespaces.putAll(SpanningLab.namespacesAround(lab));
        this.deadline = Deadline.in(budget);
    }

    @Override
    public List<String> namespaces() {
        return List.copyOf(namespaces.keySet());
    }

    /** Whether some namespace of the lab holds {@code address}: only then may a probe be sent to it. */
    boolean inLab(String address) {
        String wanted = IpLiteral.canonical(address);
        return namespaces.keySet().stream()
                .anyMatch(ns -> addresses(ns).stream().anyMatch(a -> wanted.equals(canonicalOrSelf(a.address()))));
    }

    /**
     * Runs {@code probe} between two readings of the firewall counters of {@code where}, so that
     * {@link #firewallDrops(String)} names the rules that counted it.
     */
    void probe(List<String> where, Runnable probe) {
        Map<String, FirewallCounters> before = new HashMap<>();
        for (String ns : where) {
            before.put(ns, firewall(ns));
        }
        probe.run();
        for (String ns : where) {
            drops.put(ns, firewall(ns).movedSince(before.get(ns)));
        }
    }

    @Override
    public List<String> faults(String from, String to, List<String> devices) {
        List<String> found = new ArrayList<>();
        for (PartitionCut partition : lab.faults().partitions()) {
            if (partition.cutsNamed(from, to)) {
                found.add("cut by " + partition.describe());
            }
        }
        for (ConnectionFaults pair : lab.faults().activeConnections()) {
            if (pair.from().name().equals(from) && pair.to().name().equals(to)) {
                found.add(pair.describe());
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        List<String> where = new ArrayList<>();
        where.addAll(devices);
        for (String device : where) {
            int colon = device.indexOf(':');
            String active = lab.faults().activeOn(device.substring(0, colon), device.substring(colon + 1));
            if (!active.isEmpty() && seen.add(device)) {
                found.add("lab.link(\"" + device.substring(0, colon) + "\", \"" + device.substring(colon + 1)
                        + "\") has " + active);
            }
        }
        return found;
    }

    @Override
    public Optional<String> tunnel(String ns, String device) {
        return SpanningLab.tunnelAround(lab, ns, device);
    }

    @Override
    public Lookup routeGet(String ns, String target, String from, String inputDevice) {
        List<String> argv = new ArrayList<>(List.of("ip", "-json", "route", "get", target));
        if (from != null) {
            argv.addAll(List.of("from", from));
        }
        if (inputDevice != null) {
            argv.addAll(List.of("iif", inputDevice));
        }
        ExecResult result = run(ns, argv);
        if (result == null) {
            return Lookup.failed(OUT_OF_TIME);
        }
        if (!result.isSuccess()) {
            return Lookup.failed(
                    result.stderr().isBlank()
                            ? "exit " + result.exitCode()
                            : result.stderr().strip());
        }
        return Lookup.of(IpJson.routeLookup(result.stdout()));
    }

    @Override
    public List<LinkDetail> links(String ns) {
        return cached("links " + ns, () -> read(ns, IpJson::linkDetails, "ip", "-json", "-d", "link", "show"));
    }

    @Override
    public List<InterfaceAddress> addresses(String ns) {
        return cached("addresses " + ns, () -> read(ns, IpJson::addresses, "ip", "-json", "addr", "show"));
    }

    @Override
    public List<Neighbour> neighbours(String ns) {
        return cached("neighbours " + ns, () -> read(ns, IpJson::neighbours, "ip", "-json", "neigh", "show"));
    }

    @Override
    public Map<String, String> portStates(String ns) {
        return cached("ports " + ns, () -> {
            Map<String, String> states = new HashMap<>();
            read(ns, BridgeJson::ports, "bridge", "-json", "link", "show")
                    .forEach(p -> states.put(p.name(), p.state()));
            return states;
        });
    }

    @Override
    public Map<Integer, String> peers(String ns) {
        return cached("peers " + ns, () -> {
            Map<Integer, String> bySystemName = read(ns, IpJson::netnsIds, "ip", "-json", "netns", "list-id");
            Map<Integer, String> result = new HashMap<>();
            bySystemName.forEach((id, systemName) -> namespaces.values().stream()
                    .filter(n -> n.systemName().equals(systemName))
                    .findFirst()
                    .ifPresent(n -> result.put(id, n.name())));
            return result;
        });
    }

    @Override
    public String sysctl(String ns, String key) {
        return cached("sysctl " + ns + " " + key, () -> {
            ExecResult result = run(ns, List.of("sysctl", "-n", key));
            return result != null && result.isSuccess() ? result.stdout().strip() : null;
        });
    }

    @Override
    public List<String> firewallDrops(String ns) {
        return drops.getOrDefault(ns, List.of());
    }

    private FirewallCounters firewall(String ns) {
        ExecResult iptables = run(ns, List.of("iptables-save", "-c"));
        ExecResult ip6tables = run(ns, List.of("ip6tables-save", "-c"));
        ExecResult nft = run(ns, List.of("nft", "list", "ruleset"));
        String saved = (ok(iptables) ? iptables.stdout() : "") + (ok(ip6tables) ? ip6tables.stdout() : "");
        return FirewallCounters.parse(saved.isEmpty() ? null : saved, ok(nft) ? nft.stdout() : null);
    }

    private static boolean ok(ExecResult result) {
        return result != null && result.isSuccess();
    }

    private <T> T read(String ns, Function<String, T> parser, String... argv) {
        ExecResult result = run(ns, List.of(argv));
        return parser.apply(result != null && result.isSuccess() ? result.stdout() : "[]");
    }

    /** Runs argv in the namespace, or returns {@code null} once the walk's deadline has passed or the tool is missing. */
    private ExecResult run(String ns, List<String> argv) {
        Duration left = deadline.remaining();
        if (left.isZero()) {
            return null;
        }
        Duration limit = left.compareTo(READ_TIMEOUT) < 0 ? left : READ_TIMEOUT;
        try {
            return namespaces
                    .get(ns)
                    .exec(
                            limit.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : limit,
                            argv.toArray(String[]::new));
        } catch (RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(String key, java.util.function.Supplier<T> reader) {
        if (!cache.containsKey(key)) {
            cache.put(key, reader.get());
        }
        return (T) cache.get(key);
    }

    private static String canonicalOrSelf(String address) {
        try {
            return IpLiteral.canonical(address);
        } catch (IllegalArgumentException e) {
            return address;
        }
    }
}
