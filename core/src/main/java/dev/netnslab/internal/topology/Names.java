package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

/** The naming rules for namespaces and interfaces, checked before anything is created. */
public final class Names {

    /** Longest namespace name a user may give; the lab appends its id to form the system name. */
    public static final int MAX_NAMESPACE_LENGTH = 32;
    /** Linux' limit for interface names (IFNAMSIZ - 1). */
    public static final int MAX_INTERFACE_BYTES = 15;
    /** The logical name of the lab's host-side sandbox namespace. */
    public static final String HOST = "host";

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Set<String> RESERVED_NAMESPACES = Set.of(HOST, ".", "..");
    private static final Set<String> RESERVED_INTERFACES = Set.of("lo", "all", "default", ".", "..");

    private Names() {}

    /** Checks a namespace name given by the user; {@code host} is taken by the lab's sandbox. */
    public static String checkNamespace(String attribute, String name) {
        checkCommon(attribute, name, MAX_NAMESPACE_LENGTH, "a namespace name");
        if (RESERVED_NAMESPACES.contains(name)) {
            throw new InvalidLabSpecException(
                    attribute,
                    name,
                    "'" + name + "' is reserved"
                            + (HOST.equals(name)
                                    ? " for the lab's host side (lab.host()); pick another name"
                                    : "; pick another name"));
        }
        return name;
    }

    /** Checks an interface name: at most 15 bytes of {@code [A-Za-z0-9_.-]}. */
    public static String checkInterface(String attribute, String name) {
        checkCommon(attribute, name, MAX_INTERFACE_BYTES, "an interface name");
        if (RESERVED_INTERFACES.contains(name)) {
            throw new InvalidLabSpecException(
                    attribute,
                    name,
                    "'" + name + "' is reserved by the kernel or already exists in every namespace; pick another name");
        }
        return name;
    }

    private static void checkCommon(String attribute, String name, int maxBytes, String what) {
        if (name == null || name.isEmpty()) {
            throw new InvalidLabSpecException(attribute, name, what + " must not be empty");
        }
        if (!ALLOWED.matcher(name).matches()) {
            throw new InvalidLabSpecException(attribute, name, what + " may only hold the characters [A-Za-z0-9_.-]");
        }
        if (name.startsWith("-")) {
            throw new InvalidLabSpecException(
                    attribute, name, what + " must not start with '-', which tools would read as an option");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new InvalidLabSpecException(
                    attribute, name, what + " may be at most " + maxBytes + " bytes long, but this one has " + bytes);
        }
    }
}
