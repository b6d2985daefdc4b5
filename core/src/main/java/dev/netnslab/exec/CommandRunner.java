package dev.netnslab.exec;

import dev.netnslab.ExecResult;

/**
 * The only thing in netns-lab that starts processes. A runner stands for one Linux kernel: the
 * local machine, or a host reached over SSH. Everything else builds {@link Command}s and hands
 * them here, which is why labs, handles and assertions work the same on every backend.
 *
 * <p>Implementations must be safe for concurrent use.
 */
public interface CommandRunner {

    /**
     * Runs {@code command} to completion and returns its exit code and outputs. A non-zero exit is
     * returned, not thrown.
     *
     * @throws CommandTimeoutException when the command outlives its timeout; it has been killed
     * @throws dev.netnslab.NetnsLabException when the command could not be started at all
     */
    ExecResult run(Command command);

    /**
     * Starts {@code command} in the background and returns at once. The process runs until it exits
     * or {@link BackgroundProcess#close()} stops it; its timeout is ignored.
     */
    BackgroundProcess start(Command command);

    /** A short description for messages, such as {@code local} or {@code ssh root@host:22}. */
    String describe();
}
