package dev.netnslab.testing;

import dev.netnslab.LabSpec;

/** The lab most fault tests start from: containers on one bridge of the host side. */
public final class BridgeLabs {

    private BridgeLabs() {}

    /**
     * A bridge {@code br0} in the host side and one container per name on it, the first at
     * {@code SUBNET.1/24}, the next at {@code SUBNET.2/24} and so on; more can be added to the builder.
     *
     * @param subnet the first three octets, such as {@code "10.0.16"}: one per test class, so that
     *               classes running at once never share addresses
     */
    public static LabSpec.Builder onOneBridge(String subnet, String... containers) {
        LabSpec.Builder spec = LabSpec.builder().bridge("host", "br0");
        for (int i = 0; i < containers.length; i++) {
            spec.container(containers[i], "host:br0", subnet + "." + (i + 1) + "/24");
        }
        return spec;
    }
}
