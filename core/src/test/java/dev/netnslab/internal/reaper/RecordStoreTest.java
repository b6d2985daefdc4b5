package dev.netnslab.internal.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.testing.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The record store")
class RecordStoreTest {

    @TempDir
    Path temp;

    /** The folder is the test's own, so the store runs its commands as this user: no root needed. */
    @Test
    @DisplayName("writes, reads back and removes records, and recreates its folder if it was removed")
    void lifecycle() throws IOException {
        Path directory = temp.resolve("netnslab/labs");
        RecordStore store = new RecordStore(new LocalRunner(), true, directory.toString());
        String id = Kernel.randomLabId();
        OwnershipRecord record = new OwnershipRecord(
                id,
                "local",
                List.of("host-" + id),
                new Owner(42, 7, Owner.thisBoot()),
                Instant.parse("2026-11-29T00:00:00Z"),
                Optional.empty());

        store.write(record); // the folder does not exist yet
        Files.writeString(directory.resolve("notes.txt"), "not a record\n");
        Files.writeString(directory.resolve("NL000000.lab"), "not a lab id\n");

        assertThat(store.readAll()).containsOnlyKeys(id);
        assertThat(OwnershipRecord.parse(store.readAll().get(id))).isEqualTo(record);
        store.remove(id);
        store.remove(id); // already gone is fine
        assertThat(store.readAll()).isEmpty();
        assertThat(new RecordStore(
                                new LocalRunner(), true, temp.resolve("missing").toString())
                        .readAll())
                .isEmpty();
    }
}
