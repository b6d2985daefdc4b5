package dev.netnslab.archfixture.internal.diagnostics;

import org.zeroturnaround.exec.ProcessExecutor;

/** Broken: starts a process with zt-exec outside the backends. */
final class Trace {

    ProcessExecutor traceroute(String address) {
        return new ProcessExecutor().command("traceroute", address);
    }
}
