/**
 * Cleanup that survives a crash: ownership records, the per-JVM watchdog, and the sweep of labs
 * whose owners died. Start with {@link dev.netnslab.internal.reaper.Reaper}.
 */
package dev.netnslab.internal.reaper;
