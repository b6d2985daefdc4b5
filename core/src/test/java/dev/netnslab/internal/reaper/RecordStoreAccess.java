package dev.netnslab.internal.reaper;

import dev.netnslab.internal.exec.CommandRunner;

/** Lets tests outside this package reach the package-private record store. */
public final class RecordStoreAccess {

    private RecordStoreAccess() {}

    public static void ensureDirectory(CommandRunner runner, String directory) {
        new RecordStore(runner, false, directory).ensureDirectory();
    }
}
