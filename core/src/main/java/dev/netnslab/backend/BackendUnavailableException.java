package dev.netnslab.backend;

import dev.netnslab.NetnsLabException;

/**
 * No usable kernel: the message says what is missing and how to fix it. The JUnit extension
 * reports it as a failure, or as a skipped test when {@code netnslab.skipWhenUnavailable=true}.
 */
public class BackendUnavailableException extends NetnsLabException {

    private static final long serialVersionUID = 1L;

    /** @param message what is missing and how to fix it */
    public BackendUnavailableException(String message) {
        super(message);
    }
}
