package dev.netnslab.internal.backend.vm;

import dev.netnslab.NetnsLabException;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.backend.ssh.SshBackend;
import dev.netnslab.internal.backend.ssh.SshTarget;
import dev.netnslab.internal.reaper.Owner;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The qemu VM of this JVM's test run: one VM for every lab of the run, whichever engine or test
 * class asks. A run may start its boot early, when it begins ({@link #bootEarly}, called by the
 * JUnit launcher session), so that the minute a boot takes passes while tests are still being
 * discovered; the first lab then waits only for what is left. The run's end stops the VM
 * ({@link #stopAll}), unless it is kept; a JVM that ends another way leaves it to the watchdog.
 */
public final class QemuVms {

    /** How long the guest has under KVM to print its first console line before KVM counts as unusable. */
    static final Duration KVM_PROBE = Duration.ofSeconds(15);

    private static final Duration REPORT_EVERY = Duration.ofSeconds(15);

    private static final Object LOCK = new Object();
    private static Boot current;
    private static boolean stopAtExit;

    /** One boot: what it was asked for, and the VM it gives. */
    private record Boot(
            QemuConfig config,
            CompletableFuture<QemuVm> vm,
            Launched launched,
            long startNanos,
            boolean early,
            AtomicBoolean awaited) {}

    private QemuVms() {}

    /**
     * Starts booting the VM in the background when {@code settings} select the qemu backend, and
     * returns at once. Problems are not thrown here: the first lab reports them.
     */
    public static void bootEarly(Settings settings) {
        QemuConfig config;
        try {
            if (!"qemu".equals(settings.get(Setting.BACKEND))) {
                return;
            }
            config = QemuConfig.from(settings);
        } catch (RuntimeException e) {
            return;
        }
        begin(config, settings, true);
    }

    /**
     * The run's VM for {@code settings}: the one booting or booted already, or a new boot. Waits
     * until it is ready, saying so while it waits.
     *
     * @throws BackendUnavailableException when the VM cannot be booted or reached
     */
    static QemuVm await(Settings settings) {
        QemuConfig config = QemuConfig.from(settings);
        Boot boot = begin(config, settings, false);
        boolean first = boot.awaited().compareAndSet(false, true);
        boolean ready = boot.vm().isDone();
        long waitStart = System.nanoTime();
        boolean told = false;
        try {
            while (true) {
                try {
                    QemuVm vm = boot.vm().get(REPORT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                    if (first && boot.early()) {
                        long waiting = (System.nanoTime() - waitStart) / 1_000_000;
                        long sinceStart = (System.nanoTime() - boot.startNanos()) / 1_000_000;
                        new VmProgress("qemu VM")
                                .start(
                                        ready
                                                ? "the VM was ready when the first lab asked for it, "
                                                        + VmProgress.format(sinceStart)
                                                        + " after the run began starting it"
                                                : "the first lab waited " + VmProgress.format(waiting)
                                                        + " for the VM; starting it as the "
                                                        + "run began hid the other "
                                                        + VmProgress.format(sinceStart - waiting));
                    }
                    return vm;
                } catch (TimeoutException e) {
                    // Said once; the boot itself reports its stages while the lab waits.
                    if (!told) {
                        new VmProgress("qemu VM", boot.startNanos())
                                .stage("a lab is waiting for the VM, which is still booting");
                        told = true;
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new NetnsLabException("The qemu VM could not be booted: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetnsLabException("Interrupted while waiting for the qemu VM to boot", e);
        }
    }

    private static Boot begin(QemuConfig config, Settings settings, boolean early) {
        Boot stale = null;
        Boot boot;
        synchronized (LOCK) {
            if (!stopAtExit) {
                // The run's end stops the VM (stopAll); a JVM that ends before telling it does so here,
                // while it exits, so that no qemu outlives the test run even for the moment the
                // watchdog needs to notice.
                Runtime.getRuntime().addShutdownHook(new Thread(QemuVms::stopAll, "netnslab-qemu-stop"));
                stopAtExit = true;
            }
            if (current != null && current.config().equals(config)) {
                return current;
            }
            stale = current;
            boot = new Boot(
                    config, new CompletableFuture<>(), new Launched(), System.nanoTime(), early, new AtomicBoolean());
            current = boot;
        }
        if (stale != null) {
            new VmProgress("qemu VM")
                    .start("the VM booted earlier has other settings than this lab's; booting another");
            stop(stale);
        }
        Thread thread = new Thread(
                () -> {
                    try {
                        QemuVm vm = boot(config, settings, boot.launched());
                        // The run ended (or changed its mind) while this VM booted: nobody will use it.
                        if (!boot.vm().complete(vm) && !vm.kept()) {
                            vm.stop();
                        }
                    } catch (Throwable e) {
                        boot.vm().completeExceptionally(e);
                    }
                },
                "netnslab-qemu-boot");
        thread.setDaemon(true);
        thread.start();
        return boot;
    }

    /** Stops the run's VM unless it is kept; called when the run ends. Waits for nothing but qemu's exit. */
    public static void stopAll() {
        Boot boot;
        synchronized (LOCK) {
            boot = current;
            current = null;
        }
        if (boot != null) {
            stop(boot);
        }
    }

    private static void stop(Boot boot) {
        // A boot still in progress is stopped too: its qemu goes, and its thread then fails on its own.
        boot.vm().cancel(false);
        boot.launched().stop();
    }

    /**
     * The qemu a boot has started, shared between the boot's thread and the run's end, so that a run
     * that ends while its VM is still starting stops that qemu as well: whichever comes second, the
     * launch or the stop, does the stopping.
     */
    static final class Launched {
        private QemuVm vm;
        private boolean stopped;

        /** Records the qemu just started; stops it at once when the run has ended meanwhile. */
        synchronized void set(QemuVm started) {
            vm = started;
            if (stopped) {
                if (!started.kept()) {
                    started.stop();
                }
                throw new BackendUnavailableException(
                        "The test run ended while its qemu VM was starting, so the VM (qemu pid "
                                + started.process().pid() + ") was stopped again");
            }
        }

        synchronized QemuVm get() {
            return vm;
        }

        /** Stops the recorded qemu unless it is kept, and any qemu recorded from now on. */
        synchronized void stop() {
            stopped = true;
            if (vm != null && !vm.kept()) {
                vm.stop();
            }
        }
    }

    /** Boots the VM, or finds the kept one; {@code launched} learns of a new qemu as soon as it runs. */
    static QemuVm boot(QemuConfig config, Settings settings, Launched launched) {
        VmProgress progress = new VmProgress("qemu VM");
        Path home = settings.get(Setting.HOME);
        Path qemuHome = home.resolve("qemu");
        LibraryKey key = LibraryKey.ensure(home);
        QemuFolders.sweep(qemuHome);
        if (!config.keep()) {
            // Before qemu starts: a JVM killed a moment after its qemu started still has it stopped.
            QemuFolders.watch(qemuHome);
        }
        String text = VmBoot.cloudInitText(config.cloudInit(), Setting.VM_CLOUD_INIT);
        List<String> fingerprint = config.fingerprint(text);
        if (!config.keep()) {
            return launch(
                    config,
                    settings,
                    key,
                    text,
                    fingerprint,
                    QemuFolders.newRunDir(qemuHome),
                    qemuHome,
                    progress,
                    launched);
        }
        // Two runs that both keep their VM share one: the second one waits for the first one's boot.
        try {
            Files.createDirectories(qemuHome);
            try (FileChannel channel = FileChannel.open(
                    qemuHome.resolve("kept.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    Optional<QemuVm> kept =
                            reuse(qemuHome.resolve("kept"), config, fingerprint, key, settings, progress);
                    if (kept.isPresent()) {
                        return kept.get();
                    }
                    QemuFolders.discard(qemuHome.resolve("kept"));
                    return launch(
                            config,
                            settings,
                            key,
                            text,
                            fingerprint,
                            QemuFolders.newKeptDir(qemuHome),
                            qemuHome,
                            progress,
                            launched);
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new NetnsLabException("Could not lock " + qemuHome.resolve("kept.lock") + ": " + e.getMessage(), e);
        }
    }

    /** The kept VM, when its record matches, its qemu runs, and it answers over SSH now. */
    private static Optional<QemuVm> reuse(
            Path dir,
            QemuConfig config,
            List<String> fingerprint,
            LibraryKey key,
            Settings settings,
            VmProgress progress) {
        Optional<QemuVm> recorded = QemuFolders.recorded(dir, fingerprint);
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        QemuVm vm = recorded.get();
        vm.target(target(vm, key, config.user(), settings));
        try {
            SshBackend.connect(vm.target(), "qemu").close();
        } catch (NetnsLabException e) {
            progress.start("the kept VM (pid " + vm.process().pid() + ") runs but does not answer over ssh ("
                    + e.getMessage() + "); booting a new one");
            return Optional.empty();
        }
        progress.stage("reusing the kept " + vm + "; it answers over ssh");
        return Optional.of(vm);
    }

    private static QemuVm launch(
            QemuConfig config,
            Settings settings,
            LibraryKey key,
            String text,
            List<String> fingerprint,
            Path dir,
            Path qemuHome,
            VmProgress progress,
            Launched launched) {
        try {
            Path image = QemuImage.resolve(config, qemuHome, progress);
            String source = config.cloudInit().map(Path::toString).orElse("cloud-init.yaml (bundled)");
            NoCloudSeed seed = NoCloudSeed.create(
                    VmBoot.userData(text, config.cloudInit(), key, config.user()),
                    "netnslab-" + UUID.randomUUID().toString().substring(0, 8),
                    source);
            seed.writeTo(QemuVm.files(dir).seed());
            QemuVm vm = start(config, image, dir, qemuHome, fingerprint, progress, launched);
            try {
                Path knownHosts = dir.resolve("known_hosts");
                Files.writeString(knownHosts, seed.knownHostsLine("127.0.0.1", vm.port()) + "\n");
                vm.target(target(vm, key, config.user(), settings));
                Deadline deadline = Deadline.in(config.bootTimeout());
                // While the guest boots, a try must fail fast: a short connect timeout, then another try.
                SshTarget probing = new SshTarget(
                        "127.0.0.1", vm.port(), config.user(), key.privateKey(), knownHosts, Duration.ofSeconds(5), 1);
                SshBackend ssh;
                try {
                    ssh = VmBoot.connect(probing, "qemu", deadline, progress, vm::checkAlive, vm::consoleStatus);
                } catch (BackendUnavailableException e) {
                    throw e;
                } catch (NetnsLabException e) {
                    throw new BackendUnavailableException(
                            "The qemu VM did not answer on ssh 127.0.0.1:" + vm.port() + " within "
                                    + config.bootTimeout().toSeconds() + " s (" + Setting.QEMU_BOOT_TIMEOUT + "): "
                                    + e.getMessage()
                                    + "\nLast lines of its serial console (all of it: " + vm.failedConsole() + "):\n"
                                    + vm.consoleTail(25));
                }
                try (ssh) {
                    progress.stage("ssh is up");
                    VmBoot.awaitCloudInit(ssh, deadline, progress);
                }
                return vm;
            } catch (IOException e) {
                vm.fail();
                throw new NetnsLabException(
                        "Could not write the VM's known_hosts in " + dir + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                vm.fail();
                throw e;
            }
        } catch (RuntimeException e) {
            if (launched.get() == null) {
                QemuFolders.deleteTree(dir);
            }
            throw e;
        }
    }

    /** Starts qemu: under KVM when asked, or when {@code auto} and a probe shows that KVM runs the guest; else TCG. */
    private static QemuVm start(
            QemuConfig config,
            Path image,
            Path dir,
            Path qemuHome,
            List<String> fingerprint,
            VmProgress progress,
            Launched launched) {
        QemuCommand.Accel accel = switch (config.accel()) {
            case "kvm" -> QemuCommand.Accel.KVM;
            case "tcg" -> QemuCommand.Accel.TCG;
            default -> kvmMayWork(qemuHome) ? QemuCommand.Accel.KVM : QemuCommand.Accel.TCG;
        };
        if (accel == QemuCommand.Accel.KVM && config.accel().equals("auto")) {
            String failure;
            try {
                QemuVm vm = started(QemuVm.launch(config, image, dir, accel, fingerprint), config, progress, launched);
                Deadline probe = Deadline.in(KVM_PROBE);
                while (!vm.consoleStarted() && vm.isAlive() && !probe.isPast()) {
                    probe.sleep(Duration.ofMillis(200), "for the VM's first console output under KVM");
                }
                if (vm.consoleStarted()) {
                    return vm;
                }
                failure = vm.isAlive() ? "the guest printed nothing in " + KVM_PROBE.toSeconds() + " s" : "qemu exited";
                vm.abandon();
            } catch (BackendUnavailableException e) {
                failure = "qemu did not start under KVM: "
                        + e.getMessage()
                                .lines()
                                .filter(line -> line.startsWith("stderr:"))
                                .findFirst()
                                .orElse(e.getMessage().strip());
            }
            progress.stage("KVM is not usable here (" + failure + "); emulating with TCG instead");
            markKvmUnusable(qemuHome);
            try {
                Files.deleteIfExists(QemuVm.files(dir).overlay());
                Files.deleteIfExists(QemuVm.files(dir).serialLog());
            } catch (IOException e) {
                throw new NetnsLabException("Could not reset " + dir + " after the KVM probe: " + e.getMessage(), e);
            }
            accel = QemuCommand.Accel.TCG;
        }
        return started(QemuVm.launch(config, image, dir, accel, fingerprint), config, progress, launched);
    }

    private static QemuVm started(QemuVm vm, QemuConfig config, VmProgress progress, Launched launched) {
        launched.set(vm);
        progress.start("booting " + config.image() + " with "
                + (vm.accel().equals("kvm") ? "KVM" : "TCG emulation (a minute or two)") + ": qemu pid "
                + vm.process().pid() + ", ssh on 127.0.0.1:"
                + vm.port() + ", console in " + QemuVm.files(vm.dir()).serialLog());
        return vm;
    }

    private static SshTarget target(QemuVm vm, LibraryKey key, String user, Settings settings) {
        return new SshTarget(
                "127.0.0.1",
                vm.port(),
                user,
                key.privateKey(),
                vm.dir().resolve("known_hosts"),
                settings.get(Setting.SSH_CONNECT_TIMEOUT),
                settings.get(Setting.SSH_SHELLS));
    }

    /**
     * Whether KVM is worth a try: {@code /dev/kvm} is usable by this user, and no probe on this boot
     * of the machine has found that it does not run guests (as on machines that are VMs themselves).
     */
    static boolean kvmMayWork(Path qemuHome) {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return false;
        }
        try {
            Path verdict = qemuHome.resolve("kvm-unusable");
            return !Files.isRegularFile(verdict)
                    || !Files.readString(verdict).strip().equals(Owner.thisBoot());
        } catch (IOException e) {
            return true;
        }
    }

    private static void markKvmUnusable(Path qemuHome) {
        try {
            Files.writeString(qemuHome.resolve("kvm-unusable"), Owner.thisBoot() + "\n");
        } catch (IOException e) {
            // Only costs the next run the probe again.
        }
    }
}
