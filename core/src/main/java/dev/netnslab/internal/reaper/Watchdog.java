package dev.netnslab.internal.reaper;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.BackgroundProcess;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The process that removes this JVM's labs when the JVM dies, even by {@code kill -9}. It is the
 * bash script {@code watchdog.sh} shipped with this class, copied to the backend's machine and
 * started there through the runner with its standard input tied to this JVM
 * ({@link CommandRunner#startTethered(Command)}): when the JVM is gone, the pipe closes, and the
 * script deletes exactly the namespaces that this JVM's records name.
 */
final class Watchdog {

    private static final String SCRIPT = loadScript();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Watchdog() {
    }

    /**
     * Installs the script next to the records directory and starts it for {@code owner}.
     *
     * @throws NetnsLabException when it cannot be installed or started
     */
    static BackgroundProcess start(CommandRunner runner, RecordStore store, Owner owner, String ip) {
        String base = store.directory().substring(0, store.directory().lastIndexOf('/'));
        // Named by content, and moved into place whole: a watchdog of another JVM may be running the old file.
        String script = base + "/watchdog-" + hash(SCRIPT) + ".sh";
        String temporary = base + "/.watchdog-" + owner.pid() + "-" + System.nanoTime() + ".tmp";
        check(runner.run(Command.of(TIMEOUT, List.of("install", "-m", "0600", "/dev/stdin", temporary)).withStdin(SCRIPT)),
                "install the watchdog script", runner);
        check(runner.run(Command.of(TIMEOUT, List.of("mv", "-f", "--", temporary, script))), "install the watchdog script", runner);
        return runner.startTethered(Command.of(Duration.ofDays(3650), List.of("bash", script, store.directory(),
                String.valueOf(owner.pid()), String.valueOf(owner.startTime()), ip)));
    }

    private static void check(ExecResult result, String what, CommandRunner runner) {
        if (!result.isSuccess()) {
            throw new NetnsLabException("Could not " + what + " on " + runner.describe() + "\n" + result.describe());
        }
    }

    private static String loadScript() {
        try (InputStream in = Watchdog.class.getResourceAsStream("watchdog.sh")) {
            if (in == null) {
                throw new IllegalStateException("watchdog.sh is missing from the netnslab-core jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read watchdog.sh from the netnslab-core jar", e);
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
