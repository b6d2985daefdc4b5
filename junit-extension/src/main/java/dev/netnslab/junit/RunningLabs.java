package dev.netnslab.junit;

import dev.netnslab.Lab;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The labs one registration is serving now, newest first.
 *
 * <p>{@link NetnsLabExtension#lab()} is called from test code, which hands it no
 * {@code ExtensionContext} to look in; so a lab in the store records itself here when it first
 * serves the registration, and leaves when JUnit closes it. The store still owns and closes every
 * lab: this is a list of what is open, never a second lifecycle. A registration in code serves
 * one lab at a time (its class's for a static field; for an instance field its test instance's,
 * since each instance holds an extension of its own), so the newest is the one its caller means.
 */
final class RunningLabs {

    private final Deque<Lab> labs = new ConcurrentLinkedDeque<>();

    void started(Lab lab) {
        labs.addFirst(lab);
    }

    void ended(Lab lab) {
        labs.remove(lab);
    }

    Optional<Lab> newest() {
        return Optional.ofNullable(labs.peekFirst());
    }
}
