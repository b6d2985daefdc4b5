package dev.netnslab.internal.reaper;

import dev.netnslab.internal.backend.RunnerBackend;

import dev.netnslab.backend.Backend;

/** Lets tests outside this package reach the package-private record store. */
public final class RecordStoreAccess {

    private RecordStoreAccess() {
    }

    public static void ensureDirectory(Backend backend, String directory) {
        new RecordStore(RunnerBackend.runnerOf(backend), directory).ensureDirectory();
    }
}
