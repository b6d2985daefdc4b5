package dev.netnslab.internal.backend.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how {@link SshRunner} logs in. Host keys are always verified against {@code knownHosts}.
 *
 * @param host           host name or address
 * @param port           SSH port, 1 to 65535
 * @param user           login user; when it is not root, every command runs as {@code sudo -n ARGV...}
 * @param identity       private key file (OpenSSH format, no passphrase), e.g. an ed25519 key
 * @param knownHosts     the known_hosts file that must list the host's key
 * @param connectTimeout bound on connecting, logging in and opening a channel
 * @param shells         how many commands may run at once (each uses one SSH channel); at least 1
 */
public record SshTarget(
        String host, int port, String user, Path identity, Path knownHosts, Duration connectTimeout, int shells) {

    public SshTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must name the machine to connect to but was blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535 but was " + port);
        }
        if (shells < 1) {
            throw new IllegalArgumentException("shells must be at least 1 but was " + shells);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive but was " + connectTimeout);
        }
    }

    /** A target with a 10 s connect timeout and 4 shells. */
    public static SshTarget of(String host, int port, String user, Path identity, Path knownHosts) {
        return new SshTarget(host, port, user, identity, knownHosts, Duration.ofSeconds(10), 4);
    }

    /** {@code user@host:port}, for messages. */
    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
