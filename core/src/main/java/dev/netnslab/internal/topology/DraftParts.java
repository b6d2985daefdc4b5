package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The elements of a topology as a {@link SpecDraft}'s calls add them, with the problems found on the
 * way and the parsing that reports into them. Calls that set a value (a sysctl, an MTU) are keyed
 * by what they set, so a later call wins and keeps the place of the first.
 */
final class DraftParts {

    /** What {@code ns:iface} means, for messages. */
    static final String ENDPOINT_RULE =
            "an endpoint is written ns:iface (the namespace, one colon, the interface)," + " such as host:veth1";

    final Problems problems = new Problems();
    final List<String> namespaces = new ArrayList<>();
    final List<Topology.Veth> veths = new ArrayList<>();
    final List<Topology.AddressSpec> addresses = new ArrayList<>();
    final List<Topology.RouteSpec> routes = new ArrayList<>();
    final List<Topology.BridgeSpec> bridges = new ArrayList<>();
    final List<Topology.PortSpec> ports = new ArrayList<>();
    final List<Topology.VxlanSpec> vxlans = new ArrayList<>();
    final Map<List<Object>, Topology.SysctlSpec> sysctls = new LinkedHashMap<>();
    final Map<Topology.End, Topology.LinkSettings> links = new LinkedHashMap<>();
    final List<Topology.IptablesRule> iptables = new ArrayList<>();
    final List<Topology.NftScript> nftScripts = new ArrayList<>();
    final List<Topology.RuleSpec> rules = new ArrayList<>();
    final List<Topology.NeighbourSpec> neighbours = new ArrayList<>();
    final List<Topology.FdbSpec> fdbs = new ArrayList<>();
    final List<Topology.DeviceSpec> devices = new ArrayList<>();
    final List<Topology.StartupSpec> startups = new ArrayList<>();
    /** Containers, whose default routes are derived once every call is in. */
    final List<NodeShorthands.Container> containers = new ArrayList<>();
    /** Whether the underlay bridge of the nodes is there already. */
    boolean underlay;

    /** The interface {@code endpoint} names, or {@code null} when it is written wrong (reported as {@code what endpoint}). */
    Topology.End end(String what, SpecDraft.Endpoint endpoint) {
        if (!endpoint.written()) {
            return new Topology.End(endpoint.namespace(), endpoint.iface());
        }
        return problems.parse(() -> parseEnd(what + " endpoint", endpoint.text()));
    }

    /** {@code text} read as {@code ns:iface}: both parts non-empty, one colon between them. */
    static Topology.End parseEnd(String attribute, String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new InvalidLabSpecException(attribute, text, ENDPOINT_RULE + ", and this one has no colon");
        }
        if (colon == 0 || colon == text.length() - 1 || text.indexOf(':', colon + 1) >= 0) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    ENDPOINT_RULE + ", and this one has "
                            + (text.indexOf(':', colon + 1) >= 0
                                    ? "more than one colon"
                                    : colon == 0 ? "no namespace" : "no interface"));
        }
        return new Topology.End(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * The namespace, and the interface when there is one, of {@code text}: {@code ns} or {@code ns:iface};
     * {@code null} when it is written wrong (reported as {@code what endpoint}).
     */
    Topology.End namespaceOrEnd(String what, String text) {
        if (text == null || text.indexOf(':') < 0) {
            return new Topology.End(text, null);
        }
        return problems.parse(() -> parseEnd(what + " endpoint", text));
    }

    /** Adds an interface address, when {@code cidr} can be one. */
    void address(String ns, String iface, String cidr, boolean dad, boolean noPrefixRoute) {
        IpCidr parsed = problems.parse(() -> IpCidr.parseHost("address of " + ns + ":" + iface, cidr));
        if (parsed != null) {
            addresses.add(new Topology.AddressSpec(ns, iface, parsed, dad, noPrefixRoute));
        }
    }

    /** Adds a veth pair with {@code iface} in {@code ns}, whose peer is enslaved to {@code bridge} of {@code bridgeNs}. */
    void port(String ns, String iface, String bridgeNs, String bridge, String peer) {
        veths.add(new Topology.Veth(new Topology.End(ns, iface), new Topology.End(bridgeNs, peer)));
        ports.add(new Topology.PortSpec(bridgeNs, peer, bridge));
    }

    /** Sets {@code key} in {@code ns}, before its links or after them; a later call for the same key wins. */
    void sysctl(String ns, String key, String value, boolean beforeLinks) {
        sysctls.remove(Arrays.asList(ns, key, !beforeLinks));
        sysctls.put(Arrays.asList(ns, key, beforeLinks), new Topology.SysctlSpec(ns, key, value, beforeLinks));
    }

    /** Sets {@code key} in {@code ns} once the links are up; a later call for the same key wins. */
    void sysctl(String ns, String key, String value) {
        sysctl(ns, key, value, false);
    }

    /** Changes how {@code iface} of {@code ns} behaves on the wire; a later change of the same setting wins. */
    void link(String ns, String iface, UnaryOperator<Topology.LinkSettings> change) {
        links.compute(
                new Topology.End(ns, iface),
                (end, old) -> change.apply(old == null ? Topology.LinkSettings.none(ns, iface) : old));
    }

    Topology topology() {
        return new Topology(
                namespaces,
                veths,
                addresses,
                routes,
                bridges,
                ports,
                vxlans,
                new ArrayList<>(sysctls.values()),
                new ArrayList<>(links.values()),
                iptables,
                nftScripts,
                rules,
                neighbours,
                fdbs,
                devices,
                startups);
    }
}
