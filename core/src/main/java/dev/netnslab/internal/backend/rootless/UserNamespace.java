package dev.netnslab.internal.backend.rootless;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.Inbox;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An unprivileged user namespace that rootless labs live in: one process tree in which root is the
 * calling user. It owns a mount namespace with a private {@code /run} (where {@code ip netns} keeps
 * its names), a network namespace of its own and a PID namespace. Commands enter it with
 * {@code nsenter} ({@link #enter()}).
 *
 * <h2>It dies with the JVM</h2>
 * Its first process (PID 1 inside) reads its standard input, a pipe that only this JVM holds, and
 * exits at end-of-file: when this JVM closes it, exits, crashes or is killed with {@code kill -9}.
 * When PID 1 of a PID namespace exits, the kernel kills every other process in it. The mount
 * namespace, and every {@code /run/netns} name in it, then has no process left and goes, and so do
 * the network namespaces. Nothing is left to sweep, not even a process.
 *
 * <h2>How it starts</h2>
 * {@code unshare --user --mount --net --pid --fork} runs a first script that says it is there and
 * waits; this JVM writes the id maps from outside ({@link IdMapping}), then lets it go on. The first
 * script starts the second anew, so that it runs as root with the namespace's capabilities (a process
 * keeps none across {@code exec} while its uid is unmapped). The second mounts {@code /proc} and a
 * tmpfs on {@code /run}, reports ready, and waits on the tether.
 */
final class UserNamespace implements AutoCloseable {

    private static final String MARK = "netnslab-userns";
    private static final String FIRST = String.join(
            "\n",
            "echo '" + MARK + " map'",
            "IFS= read -r go && [ \"$go\" = go ] || exit 0",
            "exec bash -c \"$1\" " + MARK);
    private static final String SECOND = String.join(
            "\n",
            // Read while /proc is still the machine's: PID 1's pid as this JVM sees it, for nsenter.
            "read -r outer _ < /proc/self/stat",
            "mount -t proc proc /proc || exit 90",
            "mount -t tmpfs -o mode=0755 netnslab /run || exit 91",
            "mkdir /run/netns || exit 92",
            "echo \"" + MARK + " ready $outer $(cat /proc/self/setgroups)\"",
            "exec >/dev/null 2>&1",
            // The tether. As PID 1, bash also reaps the orphans that background commands become.
            "while IFS= read -r _; do :; done",
            "");

    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final long pid;
    private final Optional<String> noSetgroups;

    private UserNamespace(Process process, long pid, Optional<String> noSetgroups) {
        this.process = process;
        this.pid = pid;
        this.noSetgroups = noSetgroups;
    }

    /**
     * Starts a user namespace with {@code mapping}: root and the subordinate ids when it has them
     * and {@code newuidmap} takes them, else root alone.
     *
     * @throws NetnsLabException saying which step failed and what the system said
     */
    static UserNamespace start(IdMapping mapping, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(
                            "unshare",
                            "--user",
                            "--mount",
                            "--net",
                            "--pid",
                            "--fork",
                            "--kill-child",
                            "--",
                            "bash",
                            "-c",
                            FIRST,
                            MARK,
                            SECOND)
                    .directory(new File("/"))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new NetnsLabException(
                    "Could not start unshare for the user namespace of rootless labs: " + e.getMessage()
                            + ". Install util-linux (unshare, nsenter) and bash.",
                    e);
        }
        Inbox out = new Inbox(() -> true);
        Thread pump = new Thread(
                () -> {
                    try (InputStream in = process.getInputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // the process is gone; the reader sees the inbox closed
                    }
                    out.close();
                },
                "netnslab-userns-output");
        pump.setDaemon(true);
        pump.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> said = new ArrayList<>();
        try {
            await(out, "map", said, process, deadline);
            Optional<String> noSetgroups = writeMaps(process.pid(), mapping);
            OutputStream in = process.getOutputStream();
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            String[] ready = await(out, "ready", said, process, deadline).split(" ");
            if (ready.length != 4) {
                throw new NetnsLabException("The user namespace answered '" + String.join(" ", ready) + "' instead of '"
                        + MARK + " ready PID SETGROUPS'");
            }
            return new UserNamespace(
                    process,
                    Long.parseLong(ready[2]),
                    "allow".equals(ready[3])
                            ? Optional.empty()
                            : noSetgroups.or(() -> Optional.of("setgroups is denied")));
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            if (e instanceof NetnsLabException failure) {
                throw failure;
            }
            throw new NetnsLabException("Could not start the user namespace of rootless labs: " + e, e);
        }
    }

    /** Reads lines until {@code MARK word}; any other line is what went wrong on the way. */
    private static String await(Inbox out, String word, List<String> said, Process process, long deadline) {
        try {
            while (true) {
                String line = out.readLine(deadline);
                if (line.startsWith(MARK + " " + word)) {
                    return line;
                }
                said.add(line.strip());
            }
        } catch (Inbox.Closed e) {
            throw new NetnsLabException("Could not set up the user namespace of rootless labs: "
                    + step(exitCode(process)) + (said.isEmpty() ? "" : ": " + String.join(" / ", said)));
        } catch (Inbox.Timeout e) {
            throw new NetnsLabException("The user namespace of rootless labs did not get ready (" + word + ") in time"
                    + (said.isEmpty() ? "" : "; it said: " + String.join(" / ", said)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetnsLabException("Interrupted while starting the user namespace of rootless labs", e);
        }
    }

    private static int exitCode(Process process) {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** What failed, from the exit code of the scripts (or of unshare itself). */
    static String step(int exitCode) {
        switch (exitCode) {
            case 90:
                return "mounting /proc inside it failed";
            case 91:
                return "mounting a tmpfs on /run inside it failed";
            case 92:
                return "creating /run/netns inside it failed";
            default:
                return "unshare --user --mount --net --pid exited with " + exitCode;
        }
    }

    /**
     * Writes the id maps of the namespace that {@code pid} is in, from outside. Returns why
     * {@code setgroups} stays forbidden inside, if it does.
     */
    private static Optional<String> writeMaps(long pid, IdMapping mapping) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        if (mapping.uid() == 0) {
            try {
                // Root may map any ids: all of them, as they are outside.
                Files.writeString(proc.resolve("uid_map"), IdMapping.ALL);
                Files.writeString(proc.resolve("gid_map"), IdMapping.ALL);
                return Optional.empty();
            } catch (IOException e) {
                // A root that is itself inside a user namespace (a rootless container) holds fewer ids.
                writeSingle(proc, "uid_map", 0);
                writeSingle(proc, "gid_map", 0);
                return Optional.of("this root cannot map more ids than its own (" + e.getMessage() + ")");
            }
        }
        Optional<String> why = mapping.whyNoSubordinateIds();
        if (why.isEmpty()) {
            ExecResult uids = new LocalRunner().run(Command.of(HELPER_TIMEOUT, mapping.newuidmap(pid)));
            ExecResult gids =
                    uids.isSuccess() ? new LocalRunner().run(Command.of(HELPER_TIMEOUT, mapping.newgidmap(pid))) : null;
            if (gids != null && gids.isSuccess()) {
                return Optional.empty();
            }
            ExecResult failed = gids == null ? uids : gids;
            why = Optional.of(failed.command().get(0) + " refused the range: "
                    + failed.stderr().strip());
            if (gids != null) {
                // The uids are mapped already; the gids get the one line an unprivileged process may write.
                writeSingle(proc, "gid_map", mapping.gid());
                return why;
            }
        }
        writeSingle(proc, "uid_map", mapping.uid());
        writeSingle(proc, "gid_map", mapping.gid());
        return why;
    }

    private static void writeSingle(Path proc, String file, long id) throws IOException {
        if (file.equals("gid_map")) {
            // The kernel takes an unprivileged gid map only once setgroups is denied for good.
            Files.writeString(proc.resolve("setgroups"), "deny");
        }
        Files.writeString(proc.resolve(file), IdMapping.single(id));
    }

    /** The argv prefix that runs a command inside: {@code nsenter -t PID -U -m -n -p --preserve-credentials --}. */
    List<String> enter() {
        return List.of("nsenter", "-t", Long.toString(pid), "-U", "-m", "-n", "-p", "--preserve-credentials", "--");
    }

    /** The same, starting in {@code directory}: entering a mount namespace otherwise starts at its root. */
    List<String> enterIn(String directory) {
        return List.of(
                "nsenter",
                "-t",
                Long.toString(pid),
                "-U",
                "-m",
                "-n",
                "-p",
                "--preserve-credentials",
                "--wd=" + directory,
                "--");
    }

    /** PID 1 of the namespace, as this JVM sees it. */
    long pid() {
        return pid;
    }

    /** Why {@code setgroups} is forbidden inside (so tcpdump cannot run), or empty when it is allowed. */
    Optional<String> whyNoSetgroups() {
        return noSetgroups;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Closes the tether: PID 1 exits, and the kernel ends everything inside. Waits for it; idempotent. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                // unshare runs with --kill-child: killing it kills PID 1, and with it the rest.
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "user namespace of pid " + pid;
    }
}
