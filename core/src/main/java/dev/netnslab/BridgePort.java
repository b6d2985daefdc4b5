package dev.netnslab;

/**
 * A port of a bridge and its flags, as {@code bridge -json -d link show} reports it.
 *
 * @param name      the port's interface, e.g. {@code veth1}
 * @param bridge    the bridge it belongs to, e.g. {@code br0}
 * @param state     the STP state: {@code forwarding}, {@code disabled}, {@code blocking}, ...
 * @param hairpin   whether frames may leave through the port they came in on
 * @param isolated  whether the port is isolated (it talks only to ports that are not)
 * @param learning  whether the bridge learns source MACs on this port
 * @param flood     whether unknown unicast is flooded to this port
 */
public record BridgePort(
        String name, String bridge, String state, boolean hairpin, boolean isolated, boolean learning, boolean flood) {

    @Override
    public String toString() {
        return name + " master " + bridge + " state " + state + " hairpin " + onOff(hairpin) + " isolated "
                + onOff(isolated) + " learning " + onOff(learning) + " flood " + onOff(flood);
    }

    private static String onOff(boolean value) {
        return value ? "on" : "off";
    }
}
