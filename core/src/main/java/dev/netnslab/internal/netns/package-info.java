/**
 * This JVM's own threads inside a lab's namespaces: platform threads that entered a namespace with
 * {@code setns(2)} (through JNA) and stay there, for {@code Namespace.call}, {@code Namespace.executor}
 * and the in-process checks; and deleting a named namespace as {@code ip netns del} does. Only for
 * labs on this JVM's kernel, with the JVM running as root.
 */
package dev.netnslab.internal.netns;
