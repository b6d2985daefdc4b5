package dev.netnslab.internal.reaper;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The process that cleans up after a JVM when it dies, even by {@code kill -9}. It is the bash
 * script {@code watchdog.sh} shipped with this class, copied to the machine the runner reaches and
 * started there with its standard input tied to this JVM ({@link CommandRunner#startTethered}):
 * when the JVM is gone, the pipe closes, and the script cleans up what this JVM's records in the
 * folders it was given name. Lab records ({@code FOLDER/<lab id>.lab}): it deletes the lab's
 * namespaces. VM records ({@code FOLDER/run-.../vm.record}): it stops the VM's qemu and removes its
 * folder. Records of other owners, kept VMs, and anything not shaped as netns-lab writes it are
 * left alone.
 */
public final class Watchdog {

    private static final String SCRIPT = loadScript();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Watchdog() {}

    /**
     * Installs the script in {@code scriptFolder} and starts it for {@code owner}, watching the
     * records in {@code recordFolders}.
     *
     * @param ip the {@code ip} program that deletes lab namespaces there
     * @throws NetnsLabException when it cannot be installed or started
     * @throws UnsupportedOperationException when the runner cannot tie a process to this JVM
     */
    public static BackgroundProcess start(
            CommandRunner runner, String scriptFolder, Owner owner, String ip, List<String> recordFolders) {
        // Named by content, and moved into place whole: a watchdog of another JVM may be running the old file.
        String script = scriptFolder + "/watchdog-" + hash(SCRIPT) + ".sh";
        String temporary = scriptFolder + "/.watchdog-" + owner.pid() + "-" + System.nanoTime() + ".tmp";
        check(
                runner.run(Command.of(TIMEOUT, List.of("install", "-m", "0600", "/dev/stdin", temporary))
                        .withStdin(SCRIPT)),
                "install the watchdog script",
                runner);
        check(
                runner.run(Command.of(TIMEOUT, List.of("mv", "-f", "--", temporary, script))),
                "install the watchdog script",
                runner);
        List<String> argv = new ArrayList<>(
                List.of("bash", script, String.valueOf(owner.pid()), String.valueOf(owner.startTime()), ip));
        argv.addAll(recordFolders);
        return runner.startTethered(Command.of(Duration.ofDays(3650), argv));
    }

    /** The script's text, as shipped in the jar. */
    static String script() {
        return SCRIPT;
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
