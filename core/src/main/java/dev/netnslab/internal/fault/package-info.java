/**
 * Faults on a running lab, rendered: the argv and nft scripts behind {@code Link} and
 * {@code Partition}, and the checks on their arguments. Pure: nothing here runs a command.
 */
package dev.netnslab.internal.fault;
