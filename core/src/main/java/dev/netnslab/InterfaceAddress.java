package dev.netnslab;

/**
 * An address on an interface, as {@code ip -json addr show} reports it.
 *
 * @param iface  the interface that holds it
 * @param family {@code inet} or {@code inet6}
 * @param address the bare address, e.g. {@code 10.200.1.1}
 * @param prefix the prefix length, e.g. {@code 24}
 */
public record InterfaceAddress(String iface, String family, String address, int prefix) {

    /** The address with its prefix, e.g. {@code 10.200.1.1/24}. */
    public String cidr() {
        return address + "/" + prefix;
    }

    @Override
    public String toString() {
        return iface + " " + cidr();
    }
}
