/**
 * The engine behind netns-lab's API. Nothing under {@code dev.netnslab.internal} is exported by the
 * module (the JUnit module alone may use a few packages), and any of it may change in any release.
 * This package holds {@link dev.netnslab.internal.ApiAccess}, how internals reach what the API keeps
 * package-private, and {@link dev.netnslab.internal.Deadline}, the one way the library waits.
 */
package dev.netnslab.internal;
