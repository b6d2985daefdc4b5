package dev.netnslab.internal.backend.vm;

import dev.netnslab.CommandTimeoutException;
import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.backend.HostKeyException;
import dev.netnslab.internal.Deadline;
import dev.netnslab.internal.backend.ssh.SshBackend;
import dev.netnslab.internal.backend.ssh.SshTarget;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.settings.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every VM backend does the same way once its VM is launched, whatever launched it: the
 * cloud-init file it is provisioned from, with the library's key; waiting for SSH while the VM boots;
 * waiting for cloud-init to finish; and the progress lines while all that takes its time. Only
 * launching, finding a kept VM and stopping differ between Multipass and qemu.
 */
final class VmBoot {

    /** How often a long wait says that it is still waiting. */
    private static final Duration REPORT_EVERY = Duration.ofSeconds(15);
    /** How long the one {@code cloud-init status} after the wait may take (Python's start under TCG). */
    private static final Duration STATUS_TIMEOUT = Duration.ofMinutes(2);
    /** Returns once cloud-init has finished its boot stages, or at once where there is no cloud-init. */
    private static final String CLOUD_INIT_FINISHED = "command -v cloud-init >/dev/null 2>&1 || exit 0; "
            + "while [ ! -e /var/lib/cloud/instance/boot-finished ]; do sleep 1; done";

    private static final Duration RETRY = Duration.ofSeconds(2);

    private VmBoot() {}

    /** The cloud-config text a VM is provisioned from: {@code source}, or the {@code cloud-init.yaml} shipped in core. */
    static String cloudInitText(Optional<Path> source, Setting<?> sourceSetting) {
        if (source.isEmpty()) {
            return CloudInit.bundled();
        }
        try {
            return Files.readString(source.get());
        } catch (IOException e) {
            throw new BackendUnavailableException(
                    "Cannot read the cloud-init file " + source.get() + " (" + sourceSetting + "): " + e.getMessage()
                            + ". Fix the path, or remove the setting to use the cloud-init.yaml shipped in netns-lab");
        }
    }

    /** {@code text} with the library's public key added for {@code user}. */
    static String userData(String text, Optional<Path> source, LibraryKey key, String user) {
        return CloudInit.withKey(
                text, key.publicKey(), user, source.map(Path::toString).orElse("cloud-init.yaml (bundled)"));
    }

    /**
     * Connects over SSH to a VM that may still be booting: connection failures are retried until
     * {@code deadline}, a host key problem never is. Between tries {@code alive} is asked whether
     * the VM still runs (it throws when not), and now and then the wait is reported with
     * {@code status} (e.g. the console's last line).
     */
    static SshBackend connect(
            SshTarget target,
            String name,
            Deadline deadline,
            VmProgress progress,
            Runnable alive,
            Supplier<String> status) {
        Deadline report = Deadline.in(REPORT_EVERY);
        while (true) {
            try {
                return SshBackend.connect(target, name);
            } catch (HostKeyException e) {
                throw e;
            } catch (NetnsLabException e) {
                alive.run();
                if (deadline.isPast()) {
                    throw e;
                }
                if (report.isPast()) {
                    progress.stage("still waiting for ssh on " + target.host() + ":" + target.port() + status.get());
                    report = Deadline.in(REPORT_EVERY);
                }
                deadline.sleep(RETRY, "for the VM's sshd at " + target.host() + ":" + target.port());
            }
        }
    }

    /**
     * Waits until cloud-init has finished provisioning ({@code cloud-init status --wait}). A VM whose
     * cloud-init reports an error is still used, with a warning that quotes it: the labs' own checks
     * show whether what they need is there.
     *
     * @throws BackendUnavailableException when cloud-init is still running at {@code deadline}
     */
    static void awaitCloudInit(SshBackend ssh, Deadline deadline, VmProgress progress) {
        // Asked again every few seconds rather than once for the whole wait, so the wait can be reported.
        while (true) {
            Duration step = deadline.remaining().compareTo(REPORT_EVERY) < 0 ? deadline.remaining() : REPORT_EVERY;
            ExecResult status;
            try {
                // Waiting is a shell loop on the file cloud-init writes when it is done: asking
                // "cloud-init status" starts Python, which under TCG on a busy machine can take longer
                // than a step, and a step that times out would never see the answer.
                ssh.runner()
                        .run(Command.of(
                                step.isZero() ? Duration.ofSeconds(1) : step,
                                List.of("sh", "-c", CLOUD_INIT_FINISHED)));
                status = ssh.runner().run(Command.of(STATUS_TIMEOUT, List.of("cloud-init", "status", "--wait")));
            } catch (CommandTimeoutException e) {
                if (deadline.isPast()) {
                    throw new BackendUnavailableException("cloud-init did not finish in the VM ("
                            + ssh.runner().describe()
                            + ") in time; look at /var/log/cloud-init-output.log there, or raise the boot timeout");
                }
                progress.stage("ssh is up, cloud-init is still running");
                continue;
            }
            if (status.isSuccess()) {
                progress.stage("cloud-init is done; the VM is ready");
            } else {
                progress.stage("cloud-init finished with a problem ("
                        + (status.stdout().strip() + " " + status.stderr().strip())
                                .strip()
                                .replace('\n', ' ')
                        + "); using the VM anyway. Its log: /var/log/cloud-init-output.log in the VM");
            }
            return;
        }
    }
}
