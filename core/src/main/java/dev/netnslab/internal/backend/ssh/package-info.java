/**
 * The ssh backend: any Linux host over one persistent JSch session with verified host keys, its
 * commands carried by persistent shells on that session.
 */
package dev.netnslab.internal.backend.ssh;
