/**
 * The lab model as immutable values, and its validation: names, IPv4 addresses and prefixes,
 * duplicates, overlaps, gateways. Pure: nothing here touches the system. Users meet it through
 * {@link dev.netnslab.LabSpec} and {@link dev.netnslab.InvalidLabSpecException}.
 */
package dev.netnslab.internal.topology;
