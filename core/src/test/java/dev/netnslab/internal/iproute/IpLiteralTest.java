package dev.netnslab.internal.iproute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpLiteralTest {

    @Test
    void canonicalFormIsWhatIpPrints() {
        assertThat(IpLiteral.canonical("10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(IpLiteral.canonical("FD00:0:0:0:0:0:0:1")).isEqualTo("fd00::1");
        assertThat(IpLiteral.canonical("fd00:51:0:0::2")).isEqualTo("fd00:51::2");
        assertThat(IpLiteral.canonical("2001:db8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
        assertThat(IpLiteral.canonical("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpLiteral.canonical("::")).isEqualTo("::");
        assertThat(IpLiteral.canonical("::1")).isEqualTo("::1");
        assertThat(IpLiteral.canonical("fe80::")).isEqualTo("fe80::");
    }

    @Test
    void refusesWhatIsNotALiteralAndNeverResolves() {
        assertThatThrownBy(() -> IpLiteral.canonical("localhost")).hasMessageContaining("host names are not resolved");
        assertThatThrownBy(() -> IpLiteral.canonical("10.0.0.256")).hasMessageContaining("not a valid IPv4 address");
        assertThatThrownBy(() -> IpLiteral.canonical("[fd00::1]")).hasMessageContaining("no brackets");
        assertThatThrownBy(() -> IpLiteral.canonical("fd00::1::2")).hasMessageContaining("not a valid IPv6 address");
        assertThatThrownBy(() -> IpLiteral.canonical("")).hasMessageContaining("an empty string");
    }
}
