package dev.netnslab.internal.cli;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.backend.local.Machine;
import dev.netnslab.internal.backend.vm.MultipassBackend;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code vm up} and {@code vm destroy}: the usual {@code make up} and {@code make destroy} of a hand-built lab, a
 * Multipass VM that is kept between test runs, for machines whose own kernel cannot host labs,
 * such as macOS. {@code vm up} goes through {@link MultipassBackend}, so it launches the very VM
 * (name, image, memory, disk, cloud-init: the {@code netnslab.multipass.*} keys) that
 * {@code netnslab.backend=multipass} then uses.
 */
final class VmCommand {

    static final String DEFAULT_NAME = "netns-lab";

    private final Machine machine;

    VmCommand(Machine machine) {
        this.machine = machine;
    }

    /**
     * Launches the VM, or reuses it, exactly as {@code netnslab.backend=multipass} would, so that the
     * VM holds the library's SSH key and its host key is trusted; then leaves it running.
     *
     * @param cloudInit the user-data to launch with, or {@code null} for {@code netnslab.multipass.cloudInit}
     *                  or the bundled {@code cloud-init.yaml}
     */
    int up(String name, Path cloudInit, PrintStream out, PrintStream err) {
        Optional<Path> multipass = multipass(err);
        if (multipass.isEmpty()) {
            return 1;
        }
        if (cloudInit != null && !Files.isRegularFile(cloudInit)) {
            err.println(
                    "vm up needs the lab VM's cloud-init file, but " + cloudInit.toAbsolutePath() + " does not exist. "
                            + "Pass --cloud-init PATH, or leave it out to use the bundled cloud-init.yaml.");
            return 1;
        }
        Map<String, String> overrides = new HashMap<>();
        overrides.put(Setting.MULTIPASS_NAME.key(), name);
        overrides.put(Setting.MULTIPASS_EXECUTABLE.key(), multipass.get().toString());
        overrides.put(Setting.VM_KEEP.key(), "true");
        if (cloudInit != null) {
            overrides.put(Setting.MULTIPASS_CLOUD_INIT.key(), cloudInit.toString());
        }
        out.println("Starting " + name + " (a first launch takes a few minutes)...");
        try (MultipassBackend backend =
                MultipassBackend.start(Settings.from(key -> Optional.ofNullable(overrides.get(key))))) {
            out.println("Done: " + backend
                    + " is up and holds netns-lab's SSH key. Build labs on it with netnslab.backend=multipass"
                    + (name.equals(DEFAULT_NAME) ? "" : " and netnslab.multipass.name=" + name) + ".");
            return 0;
        } catch (RuntimeException e) {
            err.println("vm up failed: " + e.getMessage());
            return 1;
        }
    }

    int destroy(String name, PrintStream out, PrintStream err) {
        Optional<Path> multipass = multipass(err);
        if (multipass.isEmpty()) {
            return 1;
        }
        out.println("Destroying " + name + "...");
        return report(
                machine.run(List.of(multipass.get().toString(), "delete", name, "--purge"), Duration.ofMinutes(5)),
                "delete " + name,
                out,
                err);
    }

    private Optional<Path> multipass(PrintStream err) {
        Optional<Path> multipass = machine.which("multipass");
        if (multipass.isEmpty()) {
            err.println("vm needs Multipass, which is not on the PATH. Install it: on Linux 'snap install multipass', "
                    + "on macOS 'brew install --cask multipass'. Then run 'vm up' again.");
        }
        return multipass;
    }

    private static int report(Optional<ExecResult> result, String what, PrintStream out, PrintStream err) {
        if (result.isPresent() && result.get().isSuccess()) {
            out.println("Done: multipass " + what + ".");
            return 0;
        }
        err.println("multipass " + what + " failed"
                + result.map(r -> ":\n" + r.describe()).orElse(": it did not start"));
        return 1;
    }
}
