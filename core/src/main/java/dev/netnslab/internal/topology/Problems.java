package dev.netnslab.internal.topology;

import dev.netnslab.InvalidLabSpecException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The problems of one spec, gathered so that it is rejected once with all of them: a user fixes
 * every mistake in one round instead of one per build. Each element contributes at most its first
 * broken rule, since what follows from a broken value is rarely news.
 */
public final class Problems {

    private final List<InvalidLabSpecException> found = new ArrayList<>();
    /** Names the library derived from a bad name of the user's, whose problem is reported in the user's words. */
    private final Set<String> explained = new HashSet<>();

    /**
     * Runs the checks of one element; the first rule they break is kept, and checking goes on.
     *
     * @return whether the element broke no rule
     */
    public boolean check(Runnable checks) {
        try {
            checks.run();
            return true;
        } catch (InvalidLabSpecException e) {
            add(e);
            return false;
        }
    }

    /** What {@code parse} returns, or {@code null} when the value breaks a rule (which is kept). */
    public <T> T parse(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidLabSpecException e) {
            add(e);
            return null;
        }
    }

    /** Keeps {@code problem}, unless it is about a derived name whose cause is reported already. */
    public void add(InvalidLabSpecException problem) {
        if (problem.value() == null || !explained.contains(problem.value())) {
            found.addAll(problem.problems());
        }
    }

    /**
     * Marks {@code derived}, a name built from a bad name of the user's (a veth peer {@code veth-<name>}),
     * as explained: the user's name is reported, and what the checks later find about the derived one
     * would repeat it in words the user never wrote.
     */
    public void explained(String derived) {
        explained.add(derived);
    }

    /** Throws the problem when there is one (as it is) or all of them together when there are several. */
    public void throwIfAny() {
        if (found.size() == 1) {
            throw found.get(0);
        }
        if (!found.isEmpty()) {
            throw new InvalidLabSpecException(found);
        }
    }
}
