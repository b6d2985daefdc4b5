package dev.netnslab.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netnslab.LabSpec;
import dev.netnslab.NetnsLabException;
import dev.netnslab.RecordingBackend;
import dev.netnslab.internal.settings.Settings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The neighbour-table guard: labs that could overflow gc_thresh3 are refused before anything is created. */
@DisplayName("The neighbour-table guard")
class NeighbourBudgetTest {

    private static final Settings FAIL = Settings.of(
            key -> java.util.Optional.ofNullable(java.util.Map.of(
                            "netnslab.watchdog", "false", "netnslab.sweep", "false", "netnslab.neighbour.check", "fail")
                    .get(key)),
            java.util.Map.of());

    @Test
    @DisplayName(
            "refuses a lab that alone could need more entries than gc_thresh3, having run nothing but the read of the limit")
    void refusesALabTooLargeForTheMachine() {
        RecordingBackend backend = new RecordingBackend();
        int limit = NeighbourBudget.of(backend).limit();
        LabSpec tooLarge = vethPairs(limit / 2 + 1);

        assertThatThrownBy(() -> LabEngine.start(ApiBridge.topology(tooLarge), backend, FAIL))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("may need up to " + (limit + 2) + " neighbour (ARP) entries")
                .hasMessageContaining("gc_thresh3 is " + limit)
                .hasMessageContaining("Split the lab")
                .hasMessageContaining("Nothing was created");
        assertThat(backend.commands())
                .extracting(dev.netnslab.internal.exec.Command::render)
                .allMatch(c -> c.equals("cat " + dev.netnslab.internal.exec.Kernel.NeighbourLimit.FILE));
    }

    @Test
    @DisplayName(
            "refuses a lab that would push this JVM's running labs past gc_thresh3, and admits it once room is freed")
    void countsTheLabsThatRunAtOnce() {
        RecordingBackend backend = new RecordingBackend();
        NeighbourBudget budget = NeighbourBudget.of(backend);
        LabSpec half = vethPairs(budget.limit() / 4 + 1); // just over half the limit

        LabEngine first = LabEngine.start(ApiBridge.topology(half), backend, FAIL);
        assertThat(budget.reserved()).isEqualTo(NeighbourBudget.need(ApiBridge.topology(half)));
        assertThatThrownBy(() -> LabEngine.start(ApiBridge.topology(half), backend, FAIL))
                .isInstanceOf(NetnsLabException.class)
                .hasMessageContaining("the labs this JVM already runs may use " + budget.reserved());

        first.close();
        assertThat(budget.reserved()).isZero();
        LabEngine.start(ApiBridge.topology(half), backend, FAIL).close();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    @DisplayName("admits a lab of exactly gc_thresh3 entries")
    void admitsALabAtTheLimit() {
        RecordingBackend backend = new RecordingBackend();
        NeighbourBudget budget = NeighbourBudget.of(backend);
        int limit = budget.limit();
        LabSpec atTheLimit = vethPairs(limit / 2);
        assertThat(NeighbourBudget.need(ApiBridge.topology(atTheLimit)))
                .as("entries the lab may need")
                .isEqualTo(limit);

        LabEngine lab = LabEngine.start(ApiBridge.topology(atTheLimit), backend, FAIL);
        try {
            assertThat(budget.reserved())
                    .as("entries reserved while the lab runs")
                    .isEqualTo(limit);
            assertThat(backend.commands())
                    .extracting(dev.netnslab.internal.exec.Command::render)
                    .as("the lab was built")
                    .anyMatch(c -> c.contains("ip -batch"));
        } finally {
            lab.close();
        }
        assertThat(budget.reserved()).isZero();
    }

    @Test
    @DisplayName("only warns by default, and admits the lab")
    void warnsByDefault() {
        RecordingBackend backend = new RecordingBackend();
        NeighbourBudget budget = NeighbourBudget.of(backend);
        LabEngine lab = LabEngine.start(
                ApiBridge.topology(vethPairs(budget.limit() / 2 + 1)), backend, RecordingBackend.SETTINGS);
        assertThat(budget.reserved()).isGreaterThan(budget.limit());
        lab.close();
        assertThat(budget.reserved()).isZero();
    }

    /** One namespace joined to the host by {@code pairs} addressed veth pairs: 2 neighbour entries each. */
    static LabSpec vethPairs(int pairs) {
        LabSpec.Builder builder = LabSpec.builder().namespace("big");
        for (int i = 0; i < pairs; i++) {
            String prefix = "10." + (i / 64) + ".0.";
            int base = i % 64 * 4;
            builder.veth("host:h" + i, "big:b" + i)
                    .address("host", "h" + i, prefix + (base + 1) + "/30")
                    .address("big", "b" + i, prefix + (base + 2) + "/30");
        }
        return builder.build();
    }
}
