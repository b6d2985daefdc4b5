package dev.netnslab;

/**
 * Something went wrong while building, using or tearing down a lab: a command the library ran
 * failed, a backend is unusable, or a lab could not be cleaned up. Invalid lab definitions are
 * reported earlier, with {@link dev.netnslab.InvalidLabSpecException}, before anything
 * is created.
 */
public class NetnsLabException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NetnsLabException(String message) {
        super(message);
    }

    public NetnsLabException(String message, Throwable cause) {
        super(message, cause);
    }
}
