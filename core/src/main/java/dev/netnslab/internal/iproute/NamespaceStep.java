package dev.netnslab.internal.iproute;

import java.util.List;

/**
 * One command that a lab runs inside one of its namespaces after the {@code ip} batches, for the
 * settings {@code ip} cannot make: sysctls, qdiscs, VXLAN forwarding entries and firewall rules.
 * The command is an argv (run as {@code ip netns exec <systemName> argv...}), never a shell string.
 *
 * @param namespace  the logical namespace name, for messages
 * @param systemName the namespace's name in {@code ip netns list}
 * @param what       what the step does, for messages, e.g. {@code setting sysctls}
 * @param argv       the program and its arguments
 * @param stdin      text fed to standard input (a batch or script), or {@code null}
 * @param hint       what to tell the user when the step fails, or {@code null}
 */
public record NamespaceStep(
        String namespace, String systemName, String what, List<String> argv, String stdin, String hint) {

    public NamespaceStep {
        argv = List.copyOf(argv);
    }
}
