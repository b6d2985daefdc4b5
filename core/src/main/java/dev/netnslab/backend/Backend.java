package dev.netnslab.backend;

import dev.netnslab.exec.CommandRunner;

/**
 * A Linux kernel to build labs on, reached through a {@link CommandRunner}: this machine, or a
 * host reached over SSH. A backend may hold resources (a connection, a VM); closing it releases them.
 */
public interface Backend extends AutoCloseable {

    /** The backend's kind, e.g. {@code local}. */
    String name();

    /** The runner that executes every command of every lab on this backend. */
    CommandRunner runner();

    /** The {@code ip} program to run on this backend. */
    default String ip() {
        return "ip";
    }

    @Override
    default void close() {
    }
}
