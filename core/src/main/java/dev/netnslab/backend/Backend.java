package dev.netnslab.backend;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.internal.backend.Backends;
import dev.netnslab.internal.settings.Settings;
import java.time.Duration;
import java.util.List;

/**
 * A Linux kernel to build labs on: this machine, a host reached over SSH, or a VM. Every command of
 * every lab on it goes through {@link #run} and {@link #start}, which is why labs, handles and
 * assertions work the same on every backend. Commands are argv lists; an implementation must never
 * hand them to a shell unquoted.
 *
 * <p>netns-lab selects its own backends by name ({@code netnslab.backend}: {@code auto},
 * {@code local}, {@code ssh}, ...). Implement this interface only to run labs somewhere those do not
 * reach, and pass it to {@link dev.netnslab.Lab#start(dev.netnslab.LabSpec, Backend)}.
 * Implementations must be safe for concurrent use. A backend may hold resources (a connection, a
 * VM); closing it releases them.
 */
public interface Backend extends AutoCloseable {

    /** The backend's kind, for messages, e.g. {@code local}. */
    String name();

    /**
     * Runs {@code argv} to completion and returns its exit code and outputs. A non-zero exit is
     * returned, not thrown.
     *
     * @param argv    the program and its arguments
     * @param stdin   what to write to its standard input, or {@code null} for none
     * @param timeout how long it may run
     * @throws dev.netnslab.CommandTimeoutException when it outlives {@code timeout}; it has been killed
     * @throws dev.netnslab.NetnsLabException when it could not be started at all
     */
    ExecResult run(List<String> argv, String stdin, Duration timeout);

    /** Starts {@code argv} in the background and returns at once; it runs until it exits or is closed. */
    BackgroundProcess start(List<String> argv);

    /** The {@code ip} program to run on this backend. */
    default String ip() {
        return "ip";
    }

    @Override
    default void close() {}

    /**
     * Opens the kernel {@code uri} names, for labs that span kernels
     * ({@link dev.netnslab.Lab#start(dev.netnslab.LabSpec, java.util.Map)}): {@code local},
     * {@code rootless}, {@code qemu}, {@code multipass}, or an SSH host
     * {@code ssh://user@host:port?identity=PATH&knownHosts=PATH}, where the user, the port and the
     * query are optional and the {@code netnslab.ssh.*} settings give what is left out. The host's key
     * must be in the known_hosts file, as with the {@code ssh} backend. The caller closes it.
     *
     * <pre>{@code
     * try (Backend remote = Backend.open("ssh://root@10.0.0.2?identity=/keys/id_ed25519")) { ... }
     * }</pre>
     *
     * @throws IllegalArgumentException    when {@code uri} has none of these forms; the message lists them
     * @throws BackendUnavailableException when that kernel cannot be used here, saying why
     * @throws HostKeyException            when an SSH host's key is unknown or changed
     */
    static Backend open(String uri) {
        return Backends.open(uri, Settings.fromSystem());
    }
}
