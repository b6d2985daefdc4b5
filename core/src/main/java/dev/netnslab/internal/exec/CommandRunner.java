package dev.netnslab.internal.exec;

import dev.netnslab.BackgroundProcess;
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

    /**
     * Starts {@code command} in the background with its standard input tied to this JVM: a pipe that
     * this JVM holds open and never writes to, so the process reads end-of-file exactly when the JVM
     * is gone, whether it exited, crashed or was killed with {@code kill -9}. The process is not
     * stopped when the JVM exits; that is the point. The lab watchdog is started this way.
     *
     * @throws UnsupportedOperationException when this runner cannot tie a process to the JVM (the default)
     */
    default BackgroundProcess startTethered(Command command) {
        throw new UnsupportedOperationException(describe() + " cannot start a process tied to this JVM's lifetime");
    }

    /** A short description for messages, such as {@code local} or {@code ssh root@host:22}. */
    String describe();
}
