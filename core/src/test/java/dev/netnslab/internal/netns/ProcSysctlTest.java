package dev.netnslab.internal.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What ProcSysctl leaves to the sysctl program: checked before anything is written, no root needed. */
@DisplayName("ProcSysctl writes only net.* keys whose files exist")
class ProcSysctlTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "kernel.hostname=lab",
                "net.ipv4.conf.eth0.10.rp_filter=1",
                "net.ipv4..ip_forward=1",
                "net.ipv4.no_such_key=1",
                "net/ipv4/ip_forward=1",
                "net.ipv4.ip_forward",
                "=1"
            })
    @DisplayName("any other assignment is left to sysctl, and nothing before it is written")
    void others(String assignment) {
        assertThat(ProcSysctl.write(List.of(assignment))).isFalse();
    }
}
