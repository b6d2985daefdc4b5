package dev.netnslab;

/**
 * How {@link LabSpec.Builder#address(String, String, String, AddressOptions)} adds an address.
 * Immutable; start from a static method and add with the {@code with...} methods:
 *
 * <pre>{@code
 * .address("pod", "eth0", "10.1.1.2/24", AddressOptions.noPrefixRoute())   // the CNI ptp plugin's pod
 * .address("a", "eth0", "fd00::2/64", AddressOptions.dad())                 // run IPv6 DAD, and wait for it
 * }</pre>
 *
 * <p><b>IPv6 and duplicate address detection.</b> By default an IPv6 address is added {@code nodad},
 * as Docker does, so it is usable the moment the lab is handed over; the interface also gets a fixed
 * link-local address (see docs/topology.md). With {@link #dad()}, the kernel probes the link first and
 * the address stays "tentative" meanwhile (1.4-2 s measured); the build then waits until no address of
 * that namespace is tentative, and fails if the kernel found a duplicate.
 */
public final class AddressOptions {

    private static final AddressOptions NONE = new AddressOptions(false, false);

    private final boolean dad;
    private final boolean noPrefixRoute;

    private AddressOptions(boolean dad, boolean noPrefixRoute) {
        this.dad = dad;
        this.noPrefixRoute = noPrefixRoute;
    }

    /** No options: what {@link LabSpec.Builder#address(String, String, String)} does. */
    public static AddressOptions none() {
        return NONE;
    }

    /** IPv6 only: run duplicate address detection, and have the build wait until it is over. */
    public static AddressOptions dad() {
        return NONE.withDad();
    }

    /** Add no route to the address's subnet ({@code noprefixroute}); routes come from the spec alone. */
    public static AddressOptions noPrefixRoute() {
        return NONE.withNoPrefixRoute();
    }

    /** These options, plus {@link #dad()}. */
    public AddressOptions withDad() {
        return new AddressOptions(true, noPrefixRoute);
    }

    /** These options, plus {@link #noPrefixRoute()}. */
    public AddressOptions withNoPrefixRoute() {
        return new AddressOptions(dad, true);
    }

    boolean isDad() {
        return dad;
    }

    boolean isNoPrefixRoute() {
        return noPrefixRoute;
    }

    @Override
    public String toString() {
        return "AddressOptions[" + (dad ? "dad " : "") + (noPrefixRoute ? "noprefixroute" : "") + "]";
    }
}
