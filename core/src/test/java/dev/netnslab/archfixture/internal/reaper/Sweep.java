package dev.netnslab.archfixture.internal.reaper;

import java.io.IOException;

/** Broken: starts a process with Runtime.exec outside the backends. */
final class Sweep {

    Process sweep() throws IOException {
        return Runtime.getRuntime().exec(new String[] {"ip", "netns", "list"});
    }
}
