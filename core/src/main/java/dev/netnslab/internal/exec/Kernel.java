package dev.netnslab.internal.exec;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.backend.Backend;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One Linux kernel that labs are built on, as the engine sees it: the public {@link Backend} SPI plus
 * the {@link CommandRunner} that carries every command there, and what the kernel can and cannot do
 * for this JVM. Every backend netns-lab ships implements it in its own package; a user's own
 * {@code Backend} is wrapped into one by {@link #of(Backend)}, once, where a lab starts. The engine
 * asks these questions instead of asking which backend it has.
 */
public interface Kernel extends Backend {

    /** How commands reach this kernel. */
    CommandRunner runner();

    /** Runs {@code command} to completion there; see {@link CommandRunner#run(Command)}. */
    default ExecResult run(Command command) {
        return runner().run(command);
    }

    /** Starts {@code command} there in the background; see {@link CommandRunner#start(Command)}. */
    default BackgroundProcess start(Command command) {
        return runner().start(command);
    }

    @Override
    default ExecResult run(List<String> argv, String stdin, Duration timeout) {
        Command command = Command.of(timeout, argv);
        return run(stdin == null ? command : command.withStdin(stdin));
    }

    @Override
    default BackgroundProcess start(List<String> argv) {
        return start(Command.of(Duration.ofDays(1), argv));
    }

    /** A short description for messages, such as {@code local} or {@code ssh root@host:22}. */
    default String describe() {
        return runner().describe();
    }

    /**
     * Whether this JVM runs on this kernel with the privileges its commands have, so that it may do
     * itself what a command would: enter the kernel's namespaces (setns), read and write its files.
     */
    default boolean sharesThisJvm() {
        return false;
    }

    /**
     * Why this JVM's own threads cannot run code inside this kernel's namespaces, as a clause that
     * completes "..., but": empty when they can.
     */
    default Optional<String> whyNoJava() {
        return Optional.of(
                "the lab runs on the " + name() + " backend, so its namespaces are on another kernel than this"
                        + " JVM's; only the local backend shares the JVM's kernel");
    }

    /**
     * Whether a file that this kernel's commands write is a file of this machine at the same path
     * (the local and rootless backends); when not, files are copied here with {@link #copyHere}.
     * A user's own backend is taken to share it, as netns-lab always assumed.
     */
    default boolean sharesThisFilesystem() {
        return true;
    }

    /**
     * Copies the file {@code path} of this kernel's machine to {@code local} on this one.
     *
     * @throws UnsupportedOperationException when the kernel has no way to copy files
     * @throws dev.netnslab.NetnsLabException when the copy fails
     */
    default void copyHere(String path, java.nio.file.Path local) {
        throw new UnsupportedOperationException("The " + name() + " backend cannot copy files from its machine");
    }

    /** Why packet captures cannot run on this kernel, with what to do about it; empty when they can. */
    default Optional<String> whyNoCaptures() {
        return Optional.empty();
    }

    /**
     * Whether labs here need ownership records, the watchdog and sweeps to survive a crash of this
     * JVM: not when everything built on this kernel ends with the JVM anyway, whatever kills it.
     */
    default boolean needsOwnershipRecords() {
        return true;
    }

    /**
     * The kernel's machine-wide hard limit of neighbour (ARP) entries,
     * {@code net.ipv4.neigh.default.gc_thresh3}, counted over all its namespaces;
     * {@link Integer#MAX_VALUE} when the kernel has no such limit.
     */
    default int neighbourLimit() {
        return NeighbourLimit.parse(run(Command.of(Duration.ofSeconds(10), List.of("cat", NeighbourLimit.FILE)))
                .stdout());
    }

    /**
     * What a person at a shell on the kernel's machine puts before {@code ip netns exec ...} to reach
     * its namespaces; empty when root's plain shell reaches them.
     */
    default List<String> enterPrefix() {
        return List.of();
    }

    /**
     * The address other machines reach this kernel at, when the way it is reached says so (the host of
     * an SSH connection, unless it is a loopback address); empty otherwise. A lab that spans kernels
     * sends its tunnels there.
     */
    default Optional<String> underlayHost() {
        return Optional.empty();
    }

    /**
     * The UDP port on this JVM's machine's loopback address ({@code 127.0.0.1}) where packets reach
     * this kernel's tunnel port {@code tunnelPort}: the port itself for the kernel this JVM runs on,
     * the port forwarded into a VM on user-mode networking, empty when this machine's loopback does
     * not lead to the kernel. A lab that spans this kernel and one that reaches this machine's
     * loopback ({@link #thisMachinesLoopback()}) sends its tunnels there.
     */
    default OptionalInt loopbackTunnelPort(int tunnelPort) {
        return OptionalInt.empty();
    }

    /**
     * The address at which this kernel's root namespace reaches this JVM's machine's loopback:
     * {@code 127.0.0.1} for the kernel this JVM runs on, the user-mode network's gateway for a VM
     * on it; empty when it cannot.
     */
    default Optional<String> thisMachinesLoopback() {
        return Optional.empty();
    }

    /** {@code backend} as a kernel: itself when it is one, else an adapter that runs everything through its methods. */
    static Kernel of(Backend backend) {
        return backend instanceof Kernel kernel ? kernel : new ForeignKernel(backend);
    }

    /** The kernel setting that bounds the neighbour tables of all namespaces together. */
    final class NeighbourLimit {
        /** Its name, for messages. */
        public static final String NAME = "net.ipv4.neigh.default.gc_thresh3";
        /** Its file under {@code /proc}. */
        public static final String FILE = "/proc/sys/net/ipv4/neigh/default/gc_thresh3";

        private NeighbourLimit() {}

        /** The limit {@code text} holds; {@link Integer#MAX_VALUE} when it holds none (a kernel without the setting). */
        public static int parse(String text) {
            try {
                return Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                return Integer.MAX_VALUE;
            }
        }
    }
}
