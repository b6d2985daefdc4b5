package dev.netnslab;

/**
 * The options of a VXLAN device, for {@link LabSpec.Builder#vxlan(String, String, int, String, VxlanOptions, String...)}.
 * Immutable; start from a static method and add with the {@code with...} methods:
 *
 * <pre>{@code
 * // Flannel's flannel.1: port 8472, no learning, the node's underlay address as source, no remote
 * .vxlan("node1", "flannel.1", 1, "eth0", VxlanOptions.port(8472).withNoLearning().withLocal("10.0.0.10"))
 * }</pre>
 */
public final class VxlanOptions {

    /** The UDP port IANA assigned to VXLAN, used unless {@link #port(int)} says otherwise. */
    public static final int IANA_PORT = 4789;

    private static final VxlanOptions NONE = new VxlanOptions(IANA_PORT, true, null);

    private final int port;
    private final boolean learning;
    private final String local;

    private VxlanOptions(int port, boolean learning, String local) {
        this.port = port;
        this.learning = learning;
        this.local = local;
    }

    /** No options: UDP port 4789, learning on, the kernel picks the source address. */
    public static VxlanOptions none() {
        return NONE;
    }

    /** The UDP destination port ({@code dstport}); Flannel uses 8472, the Linux default before IANA's 4789. */
    public static VxlanOptions port(int port) {
        return NONE.withPort(port);
    }

    /** {@code nolearning}: remote MACs come only from FDB entries ({@code fdb(...)}), never from arriving packets. */
    public static VxlanOptions noLearning() {
        return NONE.withNoLearning();
    }

    /** {@code local}: the device's source address on the underlay, one of its namespace's own addresses. */
    public static VxlanOptions local(String address) {
        return NONE.withLocal(address);
    }

    public VxlanOptions withPort(int value) {
        return new VxlanOptions(value, learning, local);
    }

    public VxlanOptions withNoLearning() {
        return new VxlanOptions(port, false, local);
    }

    public VxlanOptions withLocal(String address) {
        return new VxlanOptions(port, learning, address);
    }

    int portNumber() {
        return port;
    }

    boolean isLearning() {
        return learning;
    }

    String localText() {
        return local;
    }

    @Override
    public String toString() {
        return "VxlanOptions[dstport " + port + (learning ? "" : " nolearning")
                + (local == null ? "" : " local " + local) + "]";
    }
}
