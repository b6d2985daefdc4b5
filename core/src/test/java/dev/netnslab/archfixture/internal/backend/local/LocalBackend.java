package dev.netnslab.archfixture.internal.backend.local;

import dev.netnslab.archfixture.internal.exec.Kernel;
import org.zeroturnaround.exec.ProcessExecutor;

import java.io.IOException;

/** Allowed: a backend starts processes, with ProcessBuilder and with zt-exec. */
public final class LocalBackend implements Kernel {

    Process start(String... argv) throws IOException {
        return new ProcessBuilder(argv).start();
    }

    ProcessExecutor executor(String... argv) {
        return new ProcessExecutor().command(argv);
    }
}
