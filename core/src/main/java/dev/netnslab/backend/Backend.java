package dev.netnslab.backend;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
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
}
