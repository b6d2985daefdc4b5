package dev.netnslab.internal.topology;

import java.util.HashMap;
import java.util.Map;

/**
 * How many IPv4 neighbour (ARP) entries a topology could need at worst: on each layer-2 segment
 * with {@code k} addressed interfaces, every interface may learn every other one, so {@code k(k-1)}.
 *
 * <p>Why it matters: the kernel's neighbour table is shared by every namespace on the machine and
 * capped by {@code net.ipv4.neigh.default.gc_thresh3} (1024 by default). Past the cap, packets are
 * dropped ("neighbor table overflow"), which looks like a broken lab rather than a full table.
 *
 * <p>Segments are found by joining the two ends of each veth pair, each bridge with its ports, and
 * VXLAN devices that share a VNI. Pure: no I/O.
 *
 * @param entries          the worst-case number of entries, summed over all segments
 * @param largestSegment   the addressed interfaces on the largest segment
 * @param largestSegmentOf a name for that segment: its bridge, such as {@code host:br0}, or one of its interfaces
 */
public record NeighbourEstimate(long entries, int largestSegment, String largestSegmentOf) {

    public static NeighbourEstimate of(Topology topology) {
        Map<String, String> parent = new HashMap<>();
        for (Topology.Veth veth : topology.veths()) {
            union(parent, veth.a().toString(), veth.b().toString());
        }
        for (Topology.PortSpec port : topology.ports()) {
            union(parent, port.namespace() + ":" + port.iface(), port.namespace() + ":" + port.bridge());
        }
        for (Topology.VxlanSpec vxlan : topology.vxlans()) {
            union(parent, vxlan.namespace() + ":" + vxlan.name(), "vni:" + vxlan.vni());
        }
        Map<String, Integer> addressed = new HashMap<>();
        for (Topology.AddressSpec address : topology.addresses()) {
            addressed.merge(find(parent, address.namespace() + ":" + address.iface()), 1, Integer::sum);
        }
        Map<String, String> bridgeOf = new HashMap<>();
        for (Topology.BridgeSpec bridge : topology.bridges()) {
            bridgeOf.putIfAbsent(
                    find(parent, bridge.namespace() + ":" + bridge.name()), bridge.namespace() + ":" + bridge.name());
        }
        long entries = 0;
        int largest = 0;
        String largestOf = "";
        for (Map.Entry<String, Integer> segment : addressed.entrySet()) {
            long k = segment.getValue();
            entries += k * (k - 1);
            if (k > largest) {
                largest = (int) k;
                largestOf = bridgeOf.getOrDefault(segment.getKey(), segment.getKey());
            }
        }
        return new NeighbourEstimate(entries, largest, largestOf);
    }

    private static String find(Map<String, String> parent, String node) {
        String root = node;
        while (parent.containsKey(root)) {
            root = parent.get(root);
        }
        return root;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(rb, ra);
        }
    }
}
