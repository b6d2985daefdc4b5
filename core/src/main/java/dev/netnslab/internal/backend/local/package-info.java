/**
 * The local backend: this machine's kernel, as root or with {@code sudo -n}; the runner that starts
 * local processes (zt-exec), and the facts about this machine that more than one backend reads.
 */
package dev.netnslab.internal.backend.local;
