/**
 * The rootless backend: every lab of a JVM inside one unprivileged user namespace that dies with the
 * JVM, reached through persistent shells inside it; its id maps and the machine's user-namespace
 * switches.
 */
package dev.netnslab.internal.backend.rootless;
