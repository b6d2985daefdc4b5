/**
 * The backends netns-lab ships: {@code local} (this machine, as root or with {@code sudo -n}),
 * {@code rootless} (this machine as an ordinary user, in one unprivileged user namespace per JVM), {@code ssh} (any Linux host, one persistent JSch connection) and {@code multipass} (a VM launched
 * from the project's cloud-init, then SSH), and {@link dev.netnslab.internal.backend.Backends}, which
 * picks one as {@code netnslab.backend} says ({@code auto} tries them in order and logs why).
 */
package dev.netnslab.internal.backend;
