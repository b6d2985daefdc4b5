package dev.netnslab.internal.backend;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kernel as {@code Backend.open} and the {@code netnslab.kernels.<name>} settings name it: one of
 * the words {@code local}, {@code rootless}, {@code qemu} and {@code multipass}, or an SSH host
 * {@code ssh://[user@]host[:port][?identity=PATH&knownHosts=PATH]}. What the URI leaves out, the
 * {@code netnslab.ssh.*} settings give. Pure: parsing touches nothing.
 *
 * @param kind       {@code local}, {@code rootless}, {@code qemu}, {@code multipass} or {@code ssh}
 * @param user       the SSH login user, or empty
 * @param host       the SSH host (an IPv6 address without brackets), or {@code null} for the other kinds
 * @param port       the SSH port, or empty
 * @param identity   the private key file, or empty
 * @param knownHosts the known_hosts file, or empty
 */
public record KernelUri(
        String kind,
        Optional<String> user,
        String host,
        Optional<Integer> port,
        Optional<String> identity,
        Optional<String> knownHosts) {

    /** The kinds named by a single word. */
    public static final List<String> WORDS = List.of("local", "rootless", "qemu", "multipass");

    private static final String FORMS = "one of local, rootless, qemu, multipass or"
            + " ssh://user@host:port?identity=PATH&knownHosts=PATH (user, port and the query are optional)";

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text, the forms allowed and what is wrong
     */
    public static KernelUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        String trimmed = text.strip();
        if (WORDS.contains(trimmed)) {
            return new KernelUri(trimmed, Optional.empty(), null, Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (!trimmed.startsWith("ssh://")) {
            throw invalid(text, "it is neither one of the words nor an ssh:// URI");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw invalid(text, e.getMessage());
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw invalid(text, "it names no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw invalid(text, "an ssh:// URI has no path, but this one has '" + uri.getRawPath() + "'");
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!key.equals("identity") && !key.equals("knownHosts")) {
                    throw invalid(text, "its query has '" + key + "'; only identity and knownHosts are allowed");
                }
                if (value.isEmpty()) {
                    throw invalid(text, "its query gives " + key + " no path");
                }
                query.put(key, value);
            }
        }
        return new KernelUri(
                "ssh",
                Optional.ofNullable(uri.getUserInfo()).filter(u -> !u.isEmpty()),
                host,
                uri.getPort() < 0 ? Optional.empty() : Optional.of(uri.getPort()),
                Optional.ofNullable(query.get("identity")),
                Optional.ofNullable(query.get("knownHosts")));
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("A kernel URI must be " + FORMS + ", but was '" + text + "': " + why + ".");
    }
}
