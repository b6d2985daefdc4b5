package dev.netnslab.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.internal.exec.Kernel;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Underlay: two kernels that meet at this machine's loopback")
class UnderlayTest {

    /** A kernel that only says how it reaches this machine's loopback and where its tunnel port is there. */
    private static Kernel kernel(String loopback, int forwarded, int ownPort) {
        return new FakeKernel() {
            @Override
            public Optional<String> thisMachinesLoopback() {
                return Optional.ofNullable(loopback);
            }

            @Override
            public OptionalInt loopbackTunnelPort(int port) {
                return forwarded == 0 || port != ownPort ? OptionalInt.empty() : OptionalInt.of(forwarded);
            }
        };
    }

    @Test
    @DisplayName("this machine sends to the VM's forwarded port on 127.0.0.1; the VM to the tunnel port at its gateway")
    void localAndVm() {
        Kernel local = kernel("127.0.0.1", 4790, 4790);
        Kernel vm = kernel("10.0.2.2", 40123, 4790);
        Underlay underlay = Underlay.viaLoopback(local, vm, 4790).orElseThrow();
        assertThat(underlay.fromA().remote()).hasToString("127.0.0.1");
        assertThat(underlay.fromA().remotePort()).isEqualTo(40123);
        assertThat(underlay.fromA().local()).isNull();
        assertThat(underlay.fromB().remote()).hasToString("10.0.2.2");
        assertThat(underlay.fromB().remotePort()).isEqualTo(4790);
    }

    @Test
    @DisplayName("two VMs each send to the other's forwarded port at their own gateway")
    void twoVms() {
        Underlay underlay = Underlay.viaLoopback(kernel("10.0.2.2", 40123, 4790), kernel("10.0.2.2", 40456, 4790), 4790)
                .orElseThrow();
        assertThat(underlay.fromA().remotePort()).isEqualTo(40456);
        assertThat(underlay.fromB().remotePort()).isEqualTo(40123);
    }

    @Test
    @DisplayName("no loopback path: an SSH machine, a VM booted for another tunnel port, or this machine twice")
    void none() {
        Kernel local = kernel("127.0.0.1", 4790, 4790);
        assertThat(Underlay.viaLoopback(local, kernel(null, 0, 4790), 4790)).isEmpty();
        assertThat(Underlay.viaLoopback(local, kernel("10.0.2.2", 40123, 4791), 4790))
                .isEmpty();
        assertThat(Underlay.viaLoopback(local, kernel("127.0.0.1", 4790, 4790), 4790))
                .isEmpty();
    }
}
