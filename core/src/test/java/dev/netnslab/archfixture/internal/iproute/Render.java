package dev.netnslab.archfixture.internal.iproute;

import java.io.IOException;

/** Broken: a pure package that starts a process. */
final class Render {

    Process check(String batch) throws IOException {
        return new ProcessBuilder("ip", "-batch", batch).start();
    }
}
