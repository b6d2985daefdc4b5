package dev.netnslab.internal.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.testing.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep deletes what dead owners' records name, and nothing else. The records live in a folder
 * of the test's own: every JVM's first lab sweeps the machine's records folder, and another build
 * on the machine would otherwise sweep this test's dead labs before the test's own sweep could.
 */
@Tag("kernel")
@DisplayName("Reaper.sweep")
class SweepTest {

    @TempDir
    Path temp;

    private RecordStore store;
    private final List<String> handMadeNamespaces = new ArrayList<>();
    private final List<String> handMadeRecords = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void privateRecordsFolder() {
        store = RecordStore.of(Kernel.backend(), temp.resolve("netnslab/labs").toString());
    }

    @AfterEach
    void cleanUpByHand() {
        processes.forEach(Process::destroyForcibly);
        Kernel.deleteNamespaces(handMadeNamespaces.toArray(String[]::new));
        handMadeRecords.forEach(store::remove);
    }

    @Test
    @DisplayName("removes a dead owner's lab, and leaves foreign namespaces and live owners' labs alone")
    void sweepsOnlyDeadOwners() throws Exception {
        Owner me = Owner.current();
        Process sleeper = startSleeper();
        Owner other = ownerOf(sleeper);

        String deadId = Kernel.randomLabId();
        OwnershipRecord dead = record(
                deadId,
                other.pid() + 0,
                other.startTime() + 1,
                me.bootId(),
                Optional.empty(),
                "host",
                "netns1"); // same pid, another start time: the pid was reused, the owner is dead
        String liveId = Kernel.randomLabId();
        OwnershipRecord live = record(liveId, other.pid(), other.startTime(), me.bootId(), Optional.empty(), "host");
        String remoteId = Kernel.randomLabId();
        OwnershipRecord remote =
                record(remoteId, 1, 1, "00000000-0000-0000-0000-000000000000", Optional.empty(), "host");
        String foreign = "foreign-" + Kernel.randomLabId().substring(2);
        String lookalike = "ghost-" + Kernel.randomLabId(); // shaped like a lab's name, but in no record
        create(foreign, lookalike);

        SweepReport report = Reaper.sweep(Kernel.backend(), store);

        assertThat(report.sweptLabs())
                .extracting(OwnershipRecord::labId)
                .contains(deadId)
                .doesNotContain(liveId, remoteId);
        assertThat(report.deletedNamespaces()).containsExactlyInAnyOrderElementsOf(dead.namespaces());
        assertThat(Kernel.namespaces())
                .doesNotContainAnyElementsOf(dead.namespaces())
                .containsAll(live.namespaces())
                .containsAll(remote.namespaces())
                .contains(foreign, lookalike);
        assertThat(recordPath(deadId)).doesNotExist();
        assertThat(Stream.of(liveId, remoteId).map(this::recordPath)).allMatch(Files::exists);
    }

    @Test
    @DisplayName("a lease decides for owners on another machine: expired is swept, current is kept")
    void leases() {
        store.ensureDirectory();
        Owner me = Owner.current();
        BackendClock clock = BackendClock.read(Kernel.backend().runner(), List.of());
        String expiredId = Kernel.randomLabId();
        String currentId = Kernel.randomLabId();
        String otherMachine = "11111111-2222-3333-4444-555555555555";
        OwnershipRecord expired = record(
                expiredId,
                4242,
                1,
                otherMachine,
                Optional.of(new Owner.Lease(clock.bootId(), clock.uptimeSeconds() - 1)),
                "host");
        // Its pid is this JVM's with a wrong start time: dead by pid, alive by lease. The lease wins.
        OwnershipRecord current = record(
                currentId,
                me.pid(),
                me.startTime() + 7,
                me.bootId(),
                Optional.of(new Owner.Lease(clock.bootId(), clock.uptimeSeconds() + 600)),
                "host");

        SweepReport report = Reaper.sweep(Kernel.backend(), store);

        assertThat(report.sweptLabs())
                .extracting(OwnershipRecord::labId)
                .contains(expiredId)
                .doesNotContain(currentId);
        assertThat(Kernel.namespaces())
                .doesNotContainAnyElementsOf(expired.namespaces())
                .containsAll(current.namespaces());
    }

    @Test
    @DisplayName("a record that names something not shaped like its lab's namespaces is skipped whole")
    void tamperedRecordsAreNotTrusted() throws Exception {
        store.ensureDirectory();
        String foreign = "foreign-" + Kernel.randomLabId().substring(2);
        create(foreign);
        String labId = Kernel.randomLabId();
        handMadeRecords.add(labId);
        String text = "netnslab-record=1\nlab=" + labId + "\nbackend=local\nowner-pid=999999999\nowner-start=1\n"
                + "owner-boot=" + Owner.current().bootId() + "\ncreated=2026-01-01T00:00:00Z\nnamespace=" + foreign
                + "\nend\n";
        Files.writeString(recordPath(labId), text);

        SweepReport report = Reaper.sweep(Kernel.backend(), store);

        assertThat(report.skipped()).anyMatch(s -> s.startsWith(labId) && s.contains(foreign));
        assertThat(Kernel.namespaces()).contains(foreign);
        assertThat(recordPath(labId)).exists();
    }

    private OwnershipRecord record(
            String labId, long pid, long start, String boot, Optional<Owner.Lease> lease, String... logicalNames) {
        List<String> names = Stream.of(logicalNames).map(n -> n + "-" + labId).toList();
        create(names.toArray(String[]::new));
        OwnershipRecord record =
                new OwnershipRecord(labId, "local", names, new Owner(pid, start, boot), Instant.now(), lease);
        handMadeRecords.add(labId);
        store.write(record);
        return record;
    }

    private void create(String... names) {
        for (String name : names) {
            Kernel.addForeignNamespace(name);
            handMadeNamespaces.add(name);
        }
    }

    private Process startSleeper() throws Exception {
        Process process = new ProcessBuilder("sleep", "60").start();
        processes.add(process);
        assertThat(process.waitFor(100, TimeUnit.MILLISECONDS)).isFalse();
        return process;
    }

    private static Owner ownerOf(Process process) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        return new Owner(process.pid(), Owner.startTime(stat), Owner.current().bootId());
    }

    private Path recordPath(String labId) {
        return Path.of(store.directory(), labId + ".lab");
    }
}
