/**
 * The checks behind the assertions: ping with a bounded retry, a TCP connect, and a snapshot of a
 * namespace's addresses and routes for failure messages. Assertions decide pass or fail; the
 * probes only find out what happened, in one place that every caller shares.
 */
package dev.netnslab.internal.probe;
