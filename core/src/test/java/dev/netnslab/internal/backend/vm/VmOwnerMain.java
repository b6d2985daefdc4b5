package dev.netnslab.internal.backend.vm;

import dev.netnslab.internal.reaper.Owner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A JVM that owns two VMs, one thrown away at its end and one kept, and then waits to be killed:
 * {@link VmCrashCleanupTest} starts it, reads the line it prints, and SIGKILLs it. Each VM's qemu is
 * a stand-in, a {@code sleep} detached as {@code qemu -daemonize} detaches itself; the VM home is
 * the first argument.
 */
public final class VmOwnerMain {

    private VmOwnerMain() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        QemuFolders.watch(home);
        QemuVm run = vm(QemuFolders.newRunDir(home), false);
        QemuVm kept = vm(QemuFolders.newKeptDir(home), true);
        System.out.println("VMS " + run.dir() + " " + run.process().pid() + " " + kept.dir() + " "
                + kept.process().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static QemuVm vm(Path dir, boolean keep) throws Exception {
        Process starter =
                new ProcessBuilder("bash", "-c", "setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!").start();
        long pid = Long.parseLong(new String(starter.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        starter.waitFor();
        QemuVm vm = new QemuVm(dir, Owner.running(pid).orElseThrow(), 2222, keep, "tcg");
        QemuFolders.writeRecord(vm, List.of("image=stand-in"));
        return vm;
    }
}
