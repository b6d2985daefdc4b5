package dev.netnslab.internal.exec;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns an argv into text that a POSIX shell parses back into exactly that argv. This is the one
 * place where netns-lab writes shell syntax for arguments; every remote command goes through it.
 *
 * <p>Arguments made only of characters no shell treats specially stay as they are ({@code =} is not
 * among them: as a first word it would make an assignment); everything else
 * is wrapped in single quotes, inside which a shell interprets nothing (no {@code $}, backticks,
 * globs or backslashes), and each embedded {@code '} becomes {@code '\''}. Newlines and non-ASCII
 * text need no escaping inside single quotes.
 */
public final class ShellQuote {

    /** Characters that are never special to a POSIX shell, in any position. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+:,./-]+");

    private ShellQuote() {}

    /**
     * One argument as a shell word.
     *
     * @throws IllegalArgumentException when {@code arg} holds a NUL byte, which no shell word can carry
     */
    public static String quote(String arg) {
        if (arg.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Cannot pass '" + arg.replace("\0", "\\0")
                    + "' to a shell: it contains a NUL byte, which no process argument can hold");
        }
        if (PLAIN.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** The whole argv as shell words separated by spaces; {@code sh -c} on the result runs exactly {@code argv}. */
    public static String join(List<String> argv) {
        Command.checkArgv(argv);
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }
}
