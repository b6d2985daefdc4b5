/**
 * The engine: builds a lab on a kernel ({@link dev.netnslab.internal.engine.LabEngine}), runs
 * commands and threads in its namespaces ({@link dev.netnslab.internal.engine.LabNamespace}), switches
 * faults on and off, captures packets, and tears it all down. The API's handles ({@code Lab},
 * {@code Namespace}, {@code Link}, {@code Partition}, {@code Capture}) each wrap one object of this
 * package; {@link dev.netnslab.internal.engine.ApiBridge} is the one way back from a handle to it.
 */
package dev.netnslab.internal.engine;
