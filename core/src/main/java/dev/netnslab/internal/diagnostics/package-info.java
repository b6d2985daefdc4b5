/**
 * Diagnostics: {@link dev.netnslab.internal.diagnostics.LabReport} reads the state of a lab's namespaces so a
 * failed test can say what the network looked like.
 */
package dev.netnslab.internal.diagnostics;
