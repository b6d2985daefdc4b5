package dev.netnslab.internal.backend.vm;

import dev.netnslab.internal.backend.ssh.SshBackend;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.exec.Kernel;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A throwaway qemu VM booted from a cloud image and the project's {@code cloud-init.yaml}, reached
 * over SSH like any host. One VM serves every lab of a test run ({@link QemuVms}); this backend is
 * one SSH connection to it. Closing the backend disconnects; the VM itself stops when the run ends
 * or, kept with {@code netnslab.vm.keep=true}, waits for the next run.
 */
public final class QemuBackend implements Kernel {

    private final SshBackend ssh;
    private final QemuVm vm;
    private final int tunnelPort;

    private QemuBackend(SshBackend ssh, QemuVm vm, int tunnelPort) {
        this.ssh = ssh;
        this.vm = vm;
        this.tunnelPort = tunnelPort;
    }

    /**
     * Connects to the run's VM, booting it first (or waiting for the boot the run started early).
     *
     * @throws dev.netnslab.backend.BackendUnavailableException when the VM cannot be booted or reached;
     *         the message says what to set or install, and quotes the VM's console when it hung
     */
    public static QemuBackend start(Settings settings) {
        QemuVm vm = QemuVms.await(settings);
        return new QemuBackend(SshBackend.connect(vm.target(), "qemu"), vm, settings.get(Setting.TUNNEL_PORT));
    }

    @Override
    public String name() {
        return "qemu";
    }

    /** The port of this machine's loopback that qemu forwards to the guest's tunnel port, when it is {@code port}. */
    @Override
    public OptionalInt loopbackTunnelPort(int port) {
        return port == tunnelPort && vm.tunnelForward() > 0 ? OptionalInt.of(vm.tunnelForward()) : OptionalInt.empty();
    }

    /** The guest reaches this machine's loopback at its user-mode network's gateway. */
    @Override
    public Optional<String> thisMachinesLoopback() {
        return Optional.of(QemuCommand.HOST_LOOPBACK);
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

    /** Disconnects; the VM stays for the run's other labs. */
    @Override
    public void close() {
        ssh.close();
    }

    @Override
    public String toString() {
        return "qemu backend (" + vm + ", " + ssh.runner().describe() + ")";
    }
}
