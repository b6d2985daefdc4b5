package dev.netnslab.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("awaitListening reads the listeners")
class SpawnedProcessPortsTest {

    @Test
    @DisplayName("from /proc/net/tcp's and tcp6's LISTEN rows (state 0A) only")
    void parsesProcNetTcp() {
        String table = String.join(
                "\n",
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0101C80A:1B59 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1",
                "   1: 0101C80A:1F90 FE01C80A:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2",
                "   0: 00000000000000000000000000000000:18EB 00000000000000000000000000000000:0000 0A 0 0 0");
        assertThat(SpawnedProcess.listeningPorts(table)).containsExactlyInAnyOrder(7001, 6379);
    }
}
