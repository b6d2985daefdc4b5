package dev.netnslab.backend;

import dev.netnslab.NetnsLabException;

/**
 * An SSH host's key is unknown or differs from the one in known_hosts, so netns-lab refused to
 * connect. The message says how to check and record the key. Never skipped and never passed over
 * by backend auto-detection: it may mean someone is in the middle.
 */
public class HostKeyException extends NetnsLabException {

    private static final long serialVersionUID = 1L;

    public HostKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
