package dev.netnslab.internal.netns;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls that plain Java lacks, bound with JNA's direct mapping: each native method
 * is linked once, so a call costs about as much as the system call itself (setns about 2 µs).
 * Failures throw {@link LastErrorException} with errno.
 */
final class Libc {

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_RAW = 3;
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_ICMPV6 = 58;
    static final int EPERM = 1;
    static final int MNT_DETACH = 2;
    static final int AF_NETLINK = 16;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_ROUTE = 0;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {}

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int setns(int fd, int nstype) throws LastErrorException;

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int geteuid();

    static native long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    static native long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    static native int umount2(String target, int flags) throws LastErrorException;

    /** The interface's index in the calling thread's namespace, or 0 when there is none by that name. */
    static native int if_nametoindex(String name);

    static native String strerror(int errnum);

    /** The text {@code ip} would print for {@code errno}: "File exists" for EEXIST. */
    static String describe(int errno) {
        try {
            return strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            return "errno " + errno;
        }
    }
}
