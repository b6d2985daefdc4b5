package dev.netnslab.backend;

import dev.netnslab.Settings;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/** Picks the backend that {@code netnslab.backend} names. */
public final class Backends {

    private static final Logger LOG = System.getLogger("dev.netnslab.backend");

    /** The values {@code netnslab.backend} accepts today. */
    public static final List<String> KINDS = List.of("auto", "local");

    private Backends() {
    }

    /**
     * Creates the backend the settings ask for.
     *
     * @throws BackendUnavailableException when it cannot be used, saying why and what to do
     * @throws IllegalArgumentException when {@code netnslab.backend} holds an unknown value
     */
    public static Backend select(Settings settings) {
        String kind = settings.get(Settings.BACKEND, "auto");
        String ip = settings.get(Settings.LOCAL_IP, "ip");
        switch (kind) {
            case "auto": {
                Backend backend = LocalBackend.probe(ip);
                LOG.log(Level.INFO, "netns-lab: using the local backend ({0}): this is Linux with the privileges namespaces need",
                        backend.runner().describe());
                return backend;
            }
            case "local":
                return LocalBackend.probe(ip);
            default:
                throw new IllegalArgumentException(Settings.BACKEND + " must be one of " + KINDS + " but was '" + kind + "'");
        }
    }
}
