/**
 * Internal: a validated topology rendered to {@code ip -batch} scripts, and {@code ip -json}
 * output parsed into records. Pure: nothing here touches the system. Public only because other
 * packages of netns-lab use it; not part of the supported API.
 */
package dev.netnslab.internal.iproute;
