package dev.netnslab;

import dev.netnslab.internal.exec.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A command to run in a namespace the way a container runtime runs a plugin: an argv, extra
 * environment variables, text on standard input, a working directory and a time limit. Still an
 * argv: no shell reads any of it. Immutable; each {@code with...} returns a new spec.
 *
 * <pre>{@code
 * ExecResult added = node.exec(ExecSpec.of("/usr/lib/cni/bridge")
 *         .withEnv("CNI_COMMAND", "ADD")
 *         .withEnv("CNI_NETNS", pod.path())
 *         .withStdin(config)
 *         .withWorkingDirectory("/tmp")
 *         .withTimeout(Duration.ofSeconds(10)));
 * }</pre>
 *
 * <p>The variables are added to the environment the backend runs commands with; they do not replace
 * it. Variables and the working directory are applied with {@code env} ({@code env -C DIR -- NAME=VALUE
 * ... argv}, GNU coreutils 8.28 or newer) on the backend's machine, so they work the same locally and
 * over SSH.
 */
public final class ExecSpec {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<String> argv;
    private final Map<String, String> environment;
    private final String stdin;
    private final String workingDirectory;
    private final Duration timeout;

    private ExecSpec(
            List<String> argv,
            Map<String, String> environment,
            String stdin,
            String workingDirectory,
            Duration timeout) {
        this.argv = argv;
        this.environment = environment;
        this.stdin = stdin;
        this.workingDirectory = workingDirectory;
        this.timeout = timeout;
    }

    /**
     * A spec that runs {@code argv} with nothing added.
     *
     * @throws IllegalArgumentException when argv is empty, or an argument is null or holds a NUL byte
     */
    public static ExecSpec of(String... argv) {
        if (argv == null) {
            throw new IllegalArgumentException(
                    "argv must name at least the program to run but was null; pass e.g. ExecSpec.of(\"ip\", \"addr\")");
        }
        return of(Arrays.asList(argv.clone()));
    }

    /** Like {@link #of(String...)} with a list. */
    public static ExecSpec of(List<String> argv) {
        Objects.requireNonNull(argv, "argv");
        List<String> copy = new ArrayList<>(argv);
        Command.checkArgv(copy);
        return new ExecSpec(List.copyOf(copy), Map.of(), null, null, null);
    }

    /**
     * The same spec with one more environment variable; a second value for the same name replaces the first.
     *
     * @throws IllegalArgumentException when the name is not a portable variable name ({@code [A-Za-z_][A-Za-z0-9_]*})
     *                                  or the value is null or holds a NUL byte
     */
    public ExecSpec withEnv(String name, String value) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "An environment variable name must match [A-Za-z_][A-Za-z0-9_]* but was '" + name
                            + "'; use e.g. CNI_COMMAND");
        }
        if (value == null || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("The value of " + name + " must be a string without NUL bytes but was "
                    + (value == null ? "null" : "'" + value.replace("\0", "\\0") + "'"));
        }
        requirePlainProgram();
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(name, value);
        return new ExecSpec(argv, Collections.unmodifiableMap(env), stdin, workingDirectory, timeout);
    }

    /** The same spec with every entry of {@code variables} added, as {@link #withEnv(String, String)} does. */
    public ExecSpec withEnv(Map<String, String> variables) {
        ExecSpec spec = this;
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            spec = spec.withEnv(variable.getKey(), variable.getValue());
        }
        return spec;
    }

    /** The same spec with {@code text} on standard input (UTF-8); {@code null} for none. */
    public ExecSpec withStdin(String text) {
        return new ExecSpec(argv, environment, text, workingDirectory, timeout);
    }

    /**
     * The same spec run from {@code directory}, an absolute path on the backend's machine.
     *
     * @throws IllegalArgumentException when the path is not absolute or holds a NUL byte
     */
    public ExecSpec withWorkingDirectory(String directory) {
        if (directory == null || !directory.startsWith("/") || directory.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "The working directory must be an absolute path on the backend's machine, "
                            + "such as /tmp, but was "
                            + (directory == null ? "null" : "'" + directory.replace("\0", "\\0") + "'"));
        }
        requirePlainProgram();
        return new ExecSpec(argv, environment, stdin, directory, timeout);
    }

    /**
     * The same spec with its own time limit instead of {@code netnslab.command.timeout}.
     *
     * @throws IllegalArgumentException when the limit is not positive
     */
    public ExecSpec withTimeout(Duration limit) {
        if (limit == null || limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("The time limit must be positive but was " + limit);
        }
        return new ExecSpec(argv, environment, stdin, workingDirectory, limit);
    }

    /** The program and its arguments. */
    public List<String> argv() {
        return argv;
    }

    /** The variables added to the environment, in the order they were given. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The text for standard input, if any. */
    public Optional<String> stdin() {
        return Optional.ofNullable(stdin);
    }

    /** The working directory, if one was given. */
    public Optional<String> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    /** The time limit, if one was given. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * The argv that applies the environment and the directory: {@code env -C DIR -- NAME=VALUE ... argv},
     * or the plain argv when there is neither.
     */
    List<String> commandLine() {
        if (environment.isEmpty() && workingDirectory == null) {
            return argv;
        }
        List<String> all = new ArrayList<>(List.of("env"));
        if (workingDirectory != null) {
            all.addAll(List.of("-C", workingDirectory));
        }
        all.add("--");
        environment.forEach((name, value) -> all.add(name + "=" + value));
        all.addAll(argv);
        return all;
    }

    /** env would take a program name holding '=' for one more variable. */
    private void requirePlainProgram() {
        if (argv.get(0).contains("=")) {
            throw new IllegalArgumentException(
                    "With environment variables or a working directory, the program name must not "
                            + "contain '=' but was '" + argv.get(0) + "'; rename it or call it through its directory");
        }
    }

    @Override
    public String toString() {
        return "ExecSpec" + commandLine() + (stdin == null ? "" : " with " + stdin.length() + " characters on stdin")
                + (timeout == null ? "" : " within " + timeout.toMillis() + " ms");
    }
}
