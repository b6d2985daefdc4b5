package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Link-layer (Ethernet) addresses as {@code ip} writes them: six hex pairs separated by colons. */
public final class MacAddress {

    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");

    private MacAddress() {}

    /** {@code text} in lower case, or an {@link InvalidLabSpecException} naming {@code attribute}. */
    public static String parse(String attribute, String text) {
        if (text == null || !MAC.matcher(text).matches()) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "a MAC address is six pairs of hex digits separated by colons, such as 02:42:ac:11:00:02");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /**
     * {@code text} in lower case if an interface can take it: the kernel refuses multicast
     * addresses (lowest bit of the first octet set) and the all-zero address.
     */
    public static String parseInterfaceAddress(String attribute, String text) {
        String mac = parse(attribute, text);
        if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) == 1) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "an interface's MAC must be unicast, and the lowest bit of "
                            + mac.substring(0, 2)
                            + " marks a multicast address; use an even first octet, such as 02 for a locally"
                            + " administered address");
        }
        if (mac.equals("00:00:00:00:00:00")) {
            throw new InvalidLabSpecException(
                    attribute,
                    text,
                    "the all-zero MAC cannot address an interface; pick another," + " such as 02:00:00:00:00:01");
        }
        return mac;
    }
}
