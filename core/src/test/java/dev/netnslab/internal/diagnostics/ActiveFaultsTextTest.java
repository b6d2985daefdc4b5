package dev.netnslab.internal.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The failure report lists the faults the test left active")
class ActiveFaultsTextTest {

    @Test
    @DisplayName("one line per fault, by namespace; nothing at all when there are none")
    void lines() {
        Map<String, List<String>> faults = new LinkedHashMap<>();
        faults.put("a", List.of("fault: eth0 down, loss 30%", "fault: cut off from b"));
        faults.put("b", List.of("fault: cut off from a"));
        assertThat(LabReport.faults(faults))
                .isEqualTo("\nactive faults (set by the test; undone when the lab closes):\n"
                        + "  a: eth0 down, loss 30%\n  a: cut off from b\n  b: cut off from a\n");
        assertThat(LabReport.faults(Map.of())).isEmpty();
    }
}
