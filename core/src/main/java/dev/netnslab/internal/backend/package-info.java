/**
 * Where labs run: {@link dev.netnslab.internal.backend.Backends} picks the kernel that
 * {@code netnslab.backend} names ({@code auto} tries them in order and logs why). Each backend lives
 * in a package of its own and implements {@link dev.netnslab.internal.exec.Kernel}: {@code local}
 * (this machine, as root or with {@code sudo -n}), {@code rootless} (an ordinary user, inside one
 * unprivileged user namespace per JVM), {@code ssh} (any Linux host, one persistent JSch connection)
 * and {@code vm} ({@code multipass} and {@code qemu}, which share their boot and then use SSH). Only
 * these packages start processes; nothing outside them asks which backend it has.
 */
package dev.netnslab.internal.backend;
