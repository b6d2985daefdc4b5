/**
 * Cleanup that survives a crash: ownership records, the per-JVM watchdog, and the sweep of labs
 * whose owners died. Start with {@link dev.netnslab.reaper.Reaper}.
 */
package dev.netnslab.reaper;
