package dev.netnslab.internal.reaper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("OwnershipRecord")
class OwnershipRecordTest {

    private static final String BOOT = "4279970a-98b6-4567-857a-064ad056cb83";
    private static final OwnershipRecord RECORD = new OwnershipRecord(
            "nl4k2x9q",
            "local",
            List.of("host-nl4k2x9q", "netns1-nl4k2x9q"),
            new Owner(4242, 5993411, BOOT),
            Instant.parse("2026-11-29T01:45:00Z"),
            Optional.empty());

    @Test
    @DisplayName("survives a round trip through its file form, with and without a lease")
    void roundTrip() {
        assertThat(OwnershipRecord.parse(RECORD.render())).isEqualTo(RECORD);
        OwnershipRecord leased = RECORD.withLease(new Owner.Lease(BOOT, 12345));
        assertThat(OwnershipRecord.parse(leased.render())).isEqualTo(leased);
        assertThat(RECORD.render()).endsWith("namespace=netns1-nl4k2x9q\nend\n");
    }

    @Test
    @DisplayName("a record cut short is recognised as incomplete")
    void incomplete() {
        String text = RECORD.render();
        assertThatThrownBy(() -> OwnershipRecord.parse(text.substring(0, text.indexOf("namespace="))))
                .isInstanceOf(RecordText.IncompleteRecordException.class)
                .hasMessageContaining("cut short");
    }

    @Nested
    @DisplayName("trusts nothing it reads")
    class Tampering {

        @ParameterizedTest(name = "namespace={0}")
        @ValueSource(
                strings = {
                    "netns1",
                    "eth0",
                    "host-nlzzzzzz",
                    "-nl4k2x9q",
                    "../x-nl4k2x9q",
                    "a b-nl4k2x9q",
                    "netns1-nl4k2x9q-x",
                    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-nl4k2x9q",
                    "-x-nl4k2x9q"
                })
        @DisplayName("namespaces must carry the record's lab id")
        void foreignNames(String name) {
            assertThatThrownBy(() -> OwnershipRecord.parse(
                            RECORD.render().replace("namespace=netns1-nl4k2x9q", "namespace=" + name)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name)
                    .hasMessageContaining("NAME-nl4k2x9q");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(
                strings = {
                    "lab=nl4k2x9q\n|lab=../../etc\n",
                    "owner-pid=4242\n|owner-pid=-1\n",
                    "owner-pid=4242\n|owner-pid=12x\n",
                    "owner-start=5993411\n|owner-start=\n",
                    "netnslab-record=1\n|netnslab-record=9\n",
                    "backend=local\n|backend=a;b\n",
                    "created=2026-11-29T01:45:00Z\n|created=yesterday\n",
                    "end\n|end\nnamespace=x-nl4k2x9q\n",
                    "backend=local\n|backend=local\nextra=1\n",
                    "owner-boot=" + BOOT + "\n|"
                })
        @DisplayName("every other field is checked too")
        void otherFields(String replacement) {
            String[] parts = replacement.split("\\|", -1);
            String text = RECORD.render().replace(parts[0], parts[1]);
            assertThat(text).isNotEqualTo(RECORD.render());
            assertThatThrownBy(() -> OwnershipRecord.parse(text)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @DisplayName("reads the start time from /proc/PID/stat even when the command name holds spaces and parentheses")
    void startTime() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 30 0 5993411 1234 56";
        assertThat(Owner.startTime(stat)).isEqualTo(5993411);
        assertThat(Owner.pid(stat)).isEqualTo(4242);
        assertThat(Owner.current().pid()).isEqualTo(ProcessHandle.current().pid());
    }
}
