/**
 * The backends netns-lab ships: {@code local} (this machine, as root or with {@code sudo -n}),
 * {@code rootless} (an ordinary user, inside one unprivileged user namespace per JVM), {@code ssh}
 * (any Linux host, one persistent JSch connection), and the VM backends {@code multipass} and
 * {@code qemu}, which share their boot ({@code VmBoot}) and differ only in starting and stopping;
 * and {@link dev.netnslab.internal.backend.Backends}, which picks one as {@code netnslab.backend}
 * says ({@code auto} tries them in order and logs why).
 */
package dev.netnslab.internal.backend;
