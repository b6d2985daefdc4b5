package dev.netnslab.internal.reaper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("RecordText: the one file form of lab and VM records")
class RecordTextTest {

    private static final String BOOT = "4279970a-98b6-4567-857a-064ad056cb83";
    private static final Owner OWNER = new Owner(4242, 5993411, BOOT);
    private static final Set<String> KEYS = Set.of("thing", "part");
    private static final Set<String> REPEATING = Set.of("part");

    private static RecordText sample() {
        return RecordText.begin()
                .with("thing", "t1")
                .withOwner(OWNER)
                .with("created", "2026-11-29T01:45:00Z")
                .withLease(Optional.of(new Owner.Lease(BOOT, 120)))
                .withEach("part", List.of("a", "b=c"));
    }

    @Test
    @DisplayName("renders key=value lines between the version line and end, and reads them back")
    void roundTrip() {
        String text = sample().render();
        assertThat(text)
                .isEqualTo("netnslab-record=1\nthing=t1\nowner-pid=4242\nowner-start=5993411\nowner-boot=" + BOOT
                        + "\ncreated=2026-11-29T01:45:00Z\nlease-boot=" + BOOT
                        + "\nlease-until=120\npart=a\npart=b=c\nend\n");

        RecordText read = RecordText.parse(text, KEYS, REPEATING);
        assertThat(read.required("thing")).isEqualTo("t1");
        assertThat(read.all("part")).containsExactly("a", "b=c");
        assertThat(read.owner()).isEqualTo(OWNER);
        assertThat(read.created()).isEqualTo(Instant.parse("2026-11-29T01:45:00Z"));
        assertThat(read.lease()).contains(new Owner.Lease(BOOT, 120));
        assertThat(read.value("absent")).isEmpty();
        assertThat(RecordText.parse(RecordText.begin().withOwner(OWNER).render(), KEYS, REPEATING)
                        .lease())
                .isEmpty();
    }

    @Test
    @DisplayName("a record cut short has no end line, and says so")
    void incomplete() {
        String text = sample().render();
        assertThatThrownBy(() -> RecordText.parse(text.substring(0, text.indexOf("part=")), KEYS, REPEATING))
                .isInstanceOf(RecordText.IncompleteRecordException.class)
                .hasMessageContaining("cut short");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "thing=t1\n|thing=t1\nother=1\n",
                "thing=t1\n|thing=t1\nthing=t2\n",
                "end\n|end\npart=x\n",
                "netnslab-record=1\n|netnslab-record=2\n",
                "netnslab-record=1\n|",
                "thing=t1\n|thing\n",
                "owner-pid=4242\n|owner-pid=-4\n",
                "lease-until=120\n|",
                "created=2026-11-29T01:45:00Z\n|created=soon\n"
            })
    @DisplayName("refuses unknown keys, repeats of single keys, text after end, other versions and bad values")
    void refuses(String replacement) {
        String[] parts = replacement.split("\\|", -1);
        String text = sample().render().replace(parts[0], parts[1]);
        assertThat(text).isNotEqualTo(sample().render());
        assertThatThrownBy(() -> {
                    RecordText read = RecordText.parse(text, KEYS, REPEATING);
                    read.owner();
                    read.created();
                    read.lease();
                })
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("never writes a line a reader would split: no newline in a value, no = or end as a key")
    void writesOneLinePerValue() {
        assertThatThrownBy(() -> RecordText.begin().with("thing", "a\nend"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordText.begin().with("a=b", "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordText.begin().with("end", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
