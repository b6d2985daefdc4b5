package dev.netnslab.internal.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.testing.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog script on its own, run with its standard input already at end-of-file (as when its
 * JVM has died) against folders of records the test lays out: it removes what its owner's valid
 * records name (labs' namespaces, VMs' qemu and folders), and nothing else.
 */
@Tag("kernel")
@DisplayName("The watchdog script")
class WatchdogScriptTest {

    private static final long PID = 1111;
    private static final long START = 2222;

    @TempDir
    Path temp;

    /**
     * A folder below the test's own: the store makes its folder's parent 0700 as well, and that
     * parent must never be the machine's /tmp.
     */
    private Path records;

    /** A VM home, as ~/.netnslab/qemu. */
    private Path vms;

    @BeforeEach
    void layOutRecordsFolders() throws IOException {
        records = Files.createDirectories(temp.resolve("netnslab/labs"));
        vms = Files.createDirectories(temp.resolve("home/qemu"));
    }

    private final List<String> handMade = new ArrayList<>();
    private final List<Process> standIns = new ArrayList<>();

    @AfterEach
    void removeWhatTheTestMade() {
        Kernel.deleteNamespaces(handMade.toArray(String[]::new));
        standIns.forEach(Process::destroyForcibly);
    }

    @Test
    @DisplayName(
            "deletes its owner's labs, and leaves other owners, tampered and incomplete records, and foreign namespaces alone")
    void deletesOnlyWhatItsOwnersRecordsName() throws IOException {
        RecordStore store = RecordStore.of(Kernel.backend(), records.toString());
        OwnershipRecord mine = record(store, PID, START, "host", "netns1");
        OwnershipRecord otherOwner = record(store, PID, START + 1, "host");
        String foreign = "foreign-" + Kernel.randomLabId().substring(2);
        create(foreign);
        String tamperedId = Kernel.randomLabId();
        create("ok-" + tamperedId);
        write(tamperedId, recordText(tamperedId, "ok-" + tamperedId, foreign) + "end\n");
        String incompleteId = Kernel.randomLabId();
        create("host-" + incompleteId);
        write(incompleteId, recordText(incompleteId, "host-" + incompleteId));

        ExecResult run = runScript(records);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(Kernel.namespaces())
                .doesNotContainAnyElementsOf(mine.namespaces())
                .containsAll(otherOwner.namespaces())
                .contains(foreign, "ok-" + tamperedId, "host-" + incompleteId);
        assertThat(records.resolve(mine.fileName())).doesNotExist();
        assertThat(records.resolve(otherOwner.fileName())).exists();
        assertThat(records.resolve(tamperedId + ".lab"))
                .as("a tampered record is left for a human to look at")
                .exists();
        assertThat(records.resolve(incompleteId + ".lab"))
                .as("an incomplete record created nothing; only the file goes")
                .doesNotExist();
    }

    @Test
    @DisplayName(
            "stops its owner's VMs and removes their folders, and leaves kept VMs, other owners' VMs and reused pids alone")
    void stopsOnlyItsOwnersVms() throws IOException {
        Process mine = standIn();
        Path mineDir = vm("run-" + PID + "-" + START + "-1", PID, START, mine, false);
        Process kept = standIn();
        Path keptDir = vm("kept", PID, START, kept, true);
        Process keptInARunFolder = standIn();
        Path keptRunDir = vm("run-" + PID + "-" + START + "-2", PID, START, keptInARunFolder, true);
        Process otherOwners = standIn();
        Path otherDir = vm("run-" + PID + "-" + (START + 1) + "-3", PID, START + 1, otherOwners, false);
        Process reused = standIn();
        Path reusedDir = vm("run-" + PID + "-" + START + "-4", PID, START, reused, false, 1);
        Process misnamed = standIn();
        Path misnamedDir = vm("run-" + (PID + 1) + "-" + START + "-5", PID, START, misnamed, false);

        ExecResult run = runScript(vms);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(mine.onExit().orTimeout(10, TimeUnit.SECONDS).join().isAlive())
                .isFalse();
        assertThat(mineDir).doesNotExist();
        assertThat(reusedDir).as("its folder goes").doesNotExist();
        assertThat(reused.isAlive())
                .as("a process with the recorded pid but another start time is not the VM's qemu")
                .isTrue();
        for (Process untouched : List.of(kept, keptInARunFolder, otherOwners, misnamed)) {
            assertThat(untouched.isAlive()).isTrue();
        }
        assertThat(keptDir).exists();
        assertThat(keptRunDir).as("a record that says keep=true").exists();
        assertThat(otherDir).exists();
        assertThat(misnamedDir).as("a folder not named after this owner").exists();
    }

    @Test
    @DisplayName("given both folders, it does both jobs in one run")
    void labsAndVmsTogether() throws IOException {
        RecordStore store = RecordStore.of(Kernel.backend(), records.toString());
        OwnershipRecord lab = record(store, PID, START, "host");
        Process qemu = standIn();
        Path vmDir = vm("run-" + PID + "-" + START + "-1", PID, START, qemu, false);

        ExecResult run = runScript(records, vms);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(Kernel.namespaces()).doesNotContainAnyElementsOf(lab.namespaces());
        assertThat(records.resolve(lab.fileName())).doesNotExist();
        assertThat(qemu.onExit().orTimeout(10, TimeUnit.SECONDS).join().isAlive())
                .isFalse();
        assertThat(vmDir).doesNotExist();
    }

    private ExecResult runScript(Path... folders) throws IOException {
        List<String> argv =
                new ArrayList<>(List.of("bash", script().toString(), String.valueOf(PID), String.valueOf(START), "ip"));
        for (Path folder : folders) {
            argv.add(folder.toString());
        }
        return Kernel.backend()
                .runner()
                .run(Command.of(Duration.ofSeconds(30), argv).withStdin(""));
    }

    private OwnershipRecord record(RecordStore store, long pid, long start, String... logical) {
        String id = Kernel.randomLabId();
        List<String> names = new ArrayList<>();
        for (String name : logical) {
            names.add(name + "-" + id);
            create(name + "-" + id);
        }
        OwnershipRecord record = new OwnershipRecord(
                id, "local", names, new Owner(pid, start, Owner.thisBoot()), Instant.now(), Optional.empty());
        store.write(record);
        return record;
    }

    /** A process standing in for a VM's qemu. */
    private Process standIn() throws IOException {
        Process process = new ProcessBuilder("sleep", "300").start();
        standIns.add(process);
        return process;
    }

    private Path vm(String name, long ownerPid, long ownerStart, Process qemu, boolean keep) throws IOException {
        return vm(name, ownerPid, ownerStart, qemu, keep, 0);
    }

    /** A VM folder with its record, as the qemu backend writes it; {@code startSkew} makes the recorded start time wrong. */
    private Path vm(String name, long ownerPid, long ownerStart, Process qemu, boolean keep, long startSkew)
            throws IOException {
        Path dir = Files.createDirectories(vms.resolve(name));
        Files.writeString(dir.resolve("overlay.qcow2"), "disk");
        Owner process = Owner.running(qemu.pid()).orElseThrow();
        Files.writeString(
                dir.resolve("vm.record"),
                RecordText.begin()
                        .with("vm", name)
                        .with("backend", "qemu")
                        .withOwner(new Owner(ownerPid, ownerStart, Owner.thisBoot()))
                        .with("created", Instant.now().toString())
                        .with("qemu-pid", String.valueOf(process.pid()))
                        .with("qemu-start", String.valueOf(process.startTime() + startSkew))
                        .with("port", "2222")
                        .with("accel", "tcg")
                        .with("keep", String.valueOf(keep))
                        .with("fingerprint", "image=x")
                        .render());
        return dir;
    }

    private static String recordText(String id, String... names) {
        StringBuilder text = new StringBuilder("netnslab-record=1\nlab=" + id + "\nbackend=local\nowner-pid=" + PID
                + "\nowner-start=" + START + "\nowner-boot=x\ncreated=2026-01-01T00:00:00Z\n");
        for (String name : names) {
            text.append("namespace=").append(name).append('\n');
        }
        return text.toString();
    }

    private void write(String id, String text) throws IOException {
        Files.writeString(records.resolve(id + ".lab"), text);
    }

    private void create(String name) {
        Kernel.addForeignNamespace(name);
        handMade.add(name);
    }

    private Path script() throws IOException {
        Path script = temp.resolve("watchdog.sh");
        Files.writeString(script, Watchdog.script());
        return script;
    }
}
