package dev.netnslab.internal.backend.vm;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.backend.ssh.SshBackend;
import dev.netnslab.internal.backend.ssh.SshTarget;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.reaper.Owner;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Multipass VM, reached over SSH: {@code multipass launch} with the project's cloud-init, as code. On {@link #start(Settings)}:
 * <ol>
 *   <li>{@code multipass info NAME --format json}; when the VM is absent, {@code multipass launch}
 *       it from {@code cloud-init.yaml} with netns-lab's own SSH key added; when it is there, reuse
 *       it (starting it if stopped) and add the key through {@code multipass exec};</li>
 *   <li>read the VM's SSH host key through {@code multipass exec} (Multipass' own trusted channel)
 *       into netns-lab's known_hosts, so the SSH connection verifies it like any other;</li>
 *   <li>connect over SSH to the address {@code multipass info} reports, as the user
 *       {@code cloud-init.yaml} creates for netns-lab ({@code netnslab}), with {@code sudo -n}.</li>
 * </ol>
 * Closing disconnects; with {@code netnslab.vm.keep=false} it also deletes a VM this backend launched
 * ({@code multipass delete --purge}). A VM that was there before is never deleted, unless a run that
 * launched it to be deleted died first (its {@link VmRecord} names a dead owner): then this run deletes it in its place.
 */
public final class MultipassBackend implements Kernel {

    private static final Duration QUICK = Duration.ofSeconds(60);
    private static final Duration START = Duration.ofMinutes(5);

    /**
     * Adds a public key ($2) to a user's ($1) authorized_keys, once. Constant text: the user and the
     * key reach it as arguments, never as shell code.
     */
    static final String AUTHORIZE = String.join(
            "; ",
            "set -e",
            "home=$(getent passwd \"$1\" | cut -d: -f6)",
            "[ -n \"$home\" ] || { echo \"no user $1 in the VM\" >&2; exit 3; }",
            "install -d -m 700 -o \"$1\" -g \"$(id -gn \"$1\")\" \"$home/.ssh\"",
            "touch \"$home/.ssh/authorized_keys\"",
            "grep -qxF \"$2\" \"$home/.ssh/authorized_keys\" || printf '%s\\n' \"$2\" >> \"$home/.ssh/authorized_keys\"",
            "chown \"$1\" \"$home/.ssh/authorized_keys\"",
            "chmod 600 \"$home/.ssh/authorized_keys\"");

    private final SshBackend ssh;
    private final MultipassCli cli;
    private final String name;
    private final boolean deleteOnClose;
    private final Path ownerFile;

    private MultipassBackend(SshBackend ssh, MultipassCli cli, String name, boolean deleteOnClose, Path ownerFile) {
        this.ssh = ssh;
        this.cli = cli;
        this.name = name;
        this.deleteOnClose = deleteOnClose;
        this.ownerFile = ownerFile;
    }

    /**
     * Launches or reuses the VM the settings name and connects to it.
     *
     * @throws BackendUnavailableException when multipass cannot be run, or the VM cannot be launched or reached
     */
    public static MultipassBackend start(Settings settings) {
        String name = settings.get(Setting.MULTIPASS_NAME);
        MultipassCli cli = new MultipassCli(settings.get(Setting.MULTIPASS_EXECUTABLE), new LocalRunner());
        Path home = settings.get(Setting.HOME);
        LibraryKey key = LibraryKey.ensure(home);
        String user = settings.find(Setting.MULTIPASS_USER).orElseGet(() -> settings.get(Setting.VM_USER));
        VmProgress progress = new VmProgress("Multipass VM " + name);

        boolean launched = false;
        boolean orphan = false;
        Path ownerFile = home.resolve("multipass-" + name + ".owner");
        MultipassCli.Instance vm = cli.info(name);
        if (vm == null) {
            launch(cli, settings, name, home, key, user, progress);
            launched = true;
            vm = cli.info(name);
            if (vm == null) {
                throw new BackendUnavailableException(
                        "multipass launched " + name + " but 'multipass info " + name + "' still does not find it");
            }
        } else {
            // Launched by a run that meant to delete it and died first: this run finishes the job.
            orphan = orphaned(ownerFile, name);
            if (orphan) {
                progress.start("found it left behind by a run that died before deleting it; this run adopts it");
            }
            if (!vm.state().equals("Running")) {
                progress.start("starting the kept VM (it is " + vm.state() + ")");
                cli.run(START, "start", name);
                vm = cli.info(name);
            }
            cli.run(QUICK, "exec", name, "--", "sudo", "sh", "-c", AUTHORIZE, "sh", user, key.publicKey());
        }
        if (vm == null || vm.ipv4().isEmpty()) {
            throw new BackendUnavailableException("The Multipass VM " + name + " has no IPv4 address (state "
                    + (vm == null ? "unknown" : vm.state()) + "). Check 'multipass info " + name + "'.");
        }
        String address = vm.ipv4().get(0);
        int port = settings.get(Setting.MULTIPASS_SSH_PORT);
        Path knownHosts = trustHostKey(cli, name, home, address, port);
        SshTarget target = new SshTarget(
                address,
                port,
                user,
                key.privateKey(),
                knownHosts,
                settings.get(Setting.SSH_CONNECT_TIMEOUT),
                settings.get(Setting.SSH_SHELLS));
        // Kept unless asked otherwise: a Multipass VM takes minutes to launch (a qemu VM is thrown away by default).
        boolean deleteOnClose =
                (launched || orphan) && !settings.find(Setting.VM_KEEP).orElse(true);
        if (deleteOnClose) {
            claim(ownerFile, name);
        } else if (launched || orphan) {
            release(ownerFile);
        }
        try {
            // A VM that was just launched may still be starting sshd or applying its keys.
            SshBackend ssh = VmBoot.connect(
                    target,
                    "multipass",
                    Deadline.in(launched ? Duration.ofMinutes(2) : Duration.ZERO),
                    progress,
                    () -> {},
                    () -> "");
            progress.stage(launched ? "ssh is up; the VM is ready" : "reusing the VM; it answers over ssh");
            return new MultipassBackend(ssh, cli, name, deleteOnClose, ownerFile);
        } catch (RuntimeException e) {
            if (deleteOnClose) {
                if (cli.tryRun(START, "delete", "--purge", name).isSuccess()) {
                    release(ownerFile);
                }
            }
            throw e;
        }
    }

    /** Records this JVM as the owner of the VM {@code name}, which it launched to delete when it ends. */
    private static void claim(Path ownerFile, String name) {
        try {
            new VmRecord(name, "multipass", Owner.current(), Instant.now(), Optional.empty()).writeTo(ownerFile);
        } catch (IOException | IllegalArgumentException e) {
            // Only costs the adoption after a crash: the VM would then be kept.
        }
    }

    /** Whether {@code ownerFile} names an owner that is gone, which meant to delete the VM. */
    private static boolean orphaned(Path ownerFile, String name) {
        return VmRecord.read(ownerFile, name, "multipass")
                .map(record -> !record.owner().isAlive())
                .orElse(false);
    }

    private static void release(Path ownerFile) {
        try {
            Files.deleteIfExists(ownerFile);
        } catch (IOException e) {
            // A stale file names a dead owner of a VM that no longer exists: harmless.
        }
    }

    /** {@code multipass launch}, which returns once cloud-init is done, with the cloud-init file and the library's key. */
    private static void launch(
            MultipassCli cli,
            Settings settings,
            String name,
            Path home,
            LibraryKey key,
            String user,
            VmProgress progress) {
        Setting<Path> sourceSetting =
                settings.find(Setting.MULTIPASS_CLOUD_INIT).isPresent()
                        ? Setting.MULTIPASS_CLOUD_INIT
                        : Setting.VM_CLOUD_INIT;
        Optional<Path> source = settings.find(sourceSetting);
        String userData = VmBoot.userData(VmBoot.cloudInitText(source, sourceSetting), source, key, user);
        Path merged = home.resolve("cloud-init-" + name + ".yaml");
        try {
            Files.deleteIfExists(merged);
            Files.createFile(
                    merged, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(merged, userData);
        } catch (IOException e) {
            throw new NetnsLabException("Could not write " + merged + ": " + e.getMessage(), e);
        }
        progress.start("launching it with multipass; this takes a few minutes the first time");
        cli.run(
                settings.get(Setting.MULTIPASS_LAUNCH_TIMEOUT),
                "launch",
                settings.get(Setting.MULTIPASS_IMAGE),
                "--name",
                name,
                "--cloud-init",
                merged.toString(),
                "--memory",
                settings.get(Setting.MULTIPASS_MEMORY),
                "--disk",
                settings.get(Setting.MULTIPASS_DISK));
        progress.stage("launched; cloud-init is done");
    }

    /**
     * Records the VM's host key in netns-lab's own known_hosts, replacing an older entry for the same
     * address (Multipass hands addresses to new VMs again). The key is read through
     * {@code multipass exec}, so it is the VM's own and not whatever answers on the network.
     */
    private static Path trustHostKey(MultipassCli cli, String name, Path home, String address, int port) {
        ExecResult hostKey = cli.run(QUICK, "exec", name, "--", "cat", "/etc/ssh/ssh_host_ed25519_key.pub");
        String[] words = hostKey.stdout().strip().split("\\s+");
        if (words.length < 2 || !words[0].startsWith("ssh-")) {
            throw new BackendUnavailableException("Could not read the SSH host key of the Multipass VM " + name
                    + ": /etc/ssh/ssh_host_ed25519_key.pub held '"
                    + hostKey.stdout().strip() + "'");
        }
        String host = port == 22 ? address : "[" + address + "]:" + port;
        Path knownHosts = home.resolve("known_hosts");
        try {
            List<String> lines = new ArrayList<>();
            if (Files.exists(knownHosts)) {
                Files.readAllLines(knownHosts).stream()
                        .filter(line -> !line.startsWith(host + " "))
                        .forEach(lines::add);
            }
            lines.add(host + " " + words[0] + " " + words[1]);
            Files.write(knownHosts, lines);
        } catch (IOException e) {
            throw new NetnsLabException("Could not update " + knownHosts + ": " + e.getMessage(), e);
        }
        return knownHosts;
    }

    @Override
    public String name() {
        return "multipass";
    }

    @Override
    public boolean sharesThisFilesystem() {
        return false;
    }

    /** Copies the VM's file over SFTP, on the backend's SSH session. */
    @Override
    public void copyHere(String path, java.nio.file.Path local) {
        ssh.copyHere(path, local);
    }

    @Override
    public CommandRunner runner() {
        return ssh.runner();
    }

    /** The name of the VM. */
    public String vmName() {
        return name;
    }

    /** Disconnects, and deletes the VM when this backend launched it and {@code netnslab.vm.keep=false}. */
    @Override
    public void close() {
        try {
            ssh.close();
        } finally {
            if (deleteOnClose) {
                cli.run(START, "delete", "--purge", name);
                release(ownerFile);
            }
        }
    }

    @Override
    public String toString() {
        return "multipass backend (VM " + name + ", " + ssh.runner().describe() + ")";
    }
}
