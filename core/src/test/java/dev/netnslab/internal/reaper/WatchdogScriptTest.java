package dev.netnslab.internal.reaper;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.testing.Kernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog script on its own, run with its standard input already at end-of-file (as when its
 * JVM has died) against a records directory the test lays out: it removes what its owner's valid
 * records name, and nothing else.
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

    @BeforeEach
    void layOutRecordsFolder() throws IOException {
        records = Files.createDirectories(temp.resolve("netnslab/labs"));
    }
    private final List<String> handMade = new ArrayList<>();

    @AfterEach
    void removeWhatTheTestMade() {
        Kernel.deleteNamespaces(handMade.toArray(String[]::new));
    }

    @Test
    @DisplayName("deletes its owner's labs, and leaves other owners, tampered and incomplete records, and foreign namespaces alone")
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

        ExecResult run = Kernel.backend().runner().run(Command.of(Duration.ofSeconds(20),
                List.of("bash", script().toString(), records.toString(), String.valueOf(PID), String.valueOf(START), "ip"))
                .withStdin(""));

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(Kernel.namespaces()).doesNotContainAnyElementsOf(mine.namespaces())
                .containsAll(otherOwner.namespaces())
                .contains(foreign, "ok-" + tamperedId, "host-" + incompleteId);
        assertThat(records.resolve(mine.fileName())).doesNotExist();
        assertThat(records.resolve(otherOwner.fileName())).exists();
        assertThat(records.resolve(tamperedId + ".lab")).as("a tampered record is left for a human to look at").exists();
        assertThat(records.resolve(incompleteId + ".lab")).as("an incomplete record created nothing; only the file goes").doesNotExist();
    }

    private OwnershipRecord record(RecordStore store, long pid, long start, String... logical) {
        String id = Kernel.randomLabId();
        List<String> names = new ArrayList<>();
        for (String name : logical) {
            names.add(name + "-" + id);
            create(name + "-" + id);
        }
        OwnershipRecord record = new OwnershipRecord(id, "local", names, pid, start, Owner.current().bootId(), Instant.now(),
                Optional.empty());
        store.write(record);
        return record;
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
        Path script = records.resolve("watchdog.sh");   // not an nl*.lab file, so the script ignores it
        try (InputStream in = Watchdog.class.getResourceAsStream("watchdog.sh")) {
            Files.write(script, in.readAllBytes());
        }
        return script;
    }
}
