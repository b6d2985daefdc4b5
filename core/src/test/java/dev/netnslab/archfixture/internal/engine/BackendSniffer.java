package dev.netnslab.archfixture.internal.engine;

import dev.netnslab.archfixture.internal.backend.ssh.SshBackend;

/** Broken: asks which backend it has instead of asking the Kernel. */
final class BackendSniffer {

    boolean overSsh(Object kernel) {
        return kernel instanceof SshBackend;
    }
}
