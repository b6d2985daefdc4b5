package dev.netnslab.archfixture.internal.backend.local;

import dev.netnslab.archfixture.internal.exec.Kernel;
import java.io.IOException;
import org.zeroturnaround.exec.ProcessExecutor;

/** Allowed: a backend starts processes, with ProcessBuilder and with zt-exec. */
public final class LocalBackend implements Kernel {

    Process start(String... argv) throws IOException {
        return new ProcessBuilder(argv).start();
    }

    ProcessExecutor executor(String... argv) {
        return new ProcessExecutor().command(argv);
    }
}
