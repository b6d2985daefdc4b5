/**
 * Cleanup that survives a crash: who owns what ({@link dev.netnslab.internal.reaper.Owner}), the one
 * file form of every record ({@link dev.netnslab.internal.reaper.RecordText}), the labs' ownership
 * records, the per-JVM watchdog that cleans up labs and VMs, and the sweep of labs whose owners
 * died. Start with {@link dev.netnslab.internal.reaper.Reaper}.
 */
package dev.netnslab.internal.reaper;
