package dev.netnslab.cli;

import dev.netnslab.ExecResult;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code vm up} and {@code vm destroy}: the seed's {@code make up} and {@code make destroy}, a
 * Multipass VM that is kept between test runs (launched from {@code cloud-init.yaml}, 1 GB of
 * memory, 5 GB of disk), for machines whose own kernel cannot host labs, such as macOS.
 */
final class VmCommand {

    static final String DEFAULT_NAME = "netns-lab";

    private final Machine machine;

    VmCommand(Machine machine) {
        this.machine = machine;
    }

    int up(String name, Path cloudInit, PrintStream out, PrintStream err) {
        Optional<Path> multipass = multipass(err);
        if (multipass.isEmpty()) {
            return 1;
        }
        Optional<ExecResult> info = machine.runUnprivileged(List.of(multipass.get().toString(), "info", name));
        if (info.isPresent() && info.get().isSuccess()) {
            out.println(name + " already exists. Skipping launch.");
            return 0;
        }
        if (!Files.isRegularFile(cloudInit)) {
            err.println("vm up needs the lab VM's cloud-init file, but " + cloudInit.toAbsolutePath() + " does not exist. "
                    + "Run it from the repository root (cloud-init.yaml is there) or pass --cloud-init PATH.");
            return 1;
        }
        out.println("Launching " + name + " (this takes a few minutes)...");
        List<String> launch = List.of(multipass.get().toString(), "launch", "--name", name, "--cloud-init",
                cloudInit.toString(), "--memory", "1G", "--disk", "5G");
        return report(machine.runUnprivileged(launch, Duration.ofMinutes(15)), "launch " + name, out, err);
    }

    int destroy(String name, PrintStream out, PrintStream err) {
        Optional<Path> multipass = multipass(err);
        if (multipass.isEmpty()) {
            return 1;
        }
        out.println("Destroying " + name + "...");
        return report(machine.runUnprivileged(List.of(multipass.get().toString(), "delete", name, "--purge"),
                Duration.ofMinutes(5)), "delete " + name, out, err);
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
        err.println("multipass " + what + " failed" + result.map(r -> ":\n" + r.describe()).orElse(": it did not start"));
        return 1;
    }
}
