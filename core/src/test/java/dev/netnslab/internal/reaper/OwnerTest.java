package dev.netnslab.internal.reaper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Owner: a process by pid, start time and boot id, and whether it is alive")
class OwnerTest {

    private static final String BOOT = "4279970a-98b6-4567-857a-064ad056cb83";
    private static final String OTHER_BOOT = "0badc0de-0000-4000-8000-000000000001";

    private Process sleeper;

    @AfterEach
    void stopSleeper() {
        if (sleeper != null) {
            sleeper.destroyForcibly();
        }
    }

    @Test
    @DisplayName("this JVM is its pid, its start time from /proc and this boot")
    void current() throws IOException {
        Owner me = Owner.current();
        assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(me.startTime()).isEqualTo(Owner.startTime(Files.readString(Path.of("/proc/self/stat"))));
        assertThat(me.bootId())
                .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/random/boot_id"))
                        .strip())
                .isEqualTo(Owner.thisBoot());
        assertThat(Owner.running(me.pid())).contains(me);
        assertThat(Owner.running(Integer.MAX_VALUE)).as("no such process").isEmpty();
    }

    @Test
    @DisplayName(
            "a process is alive only with its own start time on this boot: a reused pid, or an earlier boot, is not it")
    void aliveHere() throws Exception {
        sleeper = new ProcessBuilder("sleep", "60").start();
        Owner process = Owner.running(sleeper.pid()).orElseThrow();
        assertThat(process.isAlive()).isTrue();
        assertThat(new Owner(process.pid(), process.startTime() + 1, process.bootId()).isAlive())
                .isFalse();
        assertThat(new Owner(process.pid(), process.startTime(), OTHER_BOOT).isAlive())
                .as("the same pid and start time before a reboot")
                .isFalse();

        sleeper.destroy();
        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.isAlive()).as("once it has exited").isFalse();
    }

    @ParameterizedTest(
            name = "owner {0}/{1} on {2}, machine says {3} up {4} s, pid started {5}, lease {6} until {7}: {8}")
    @CsvSource(
            nullValues = "-",
            value = {
                "42, 7, this,  this,  100, 7, -,     -,   ALIVE",
                "42, 7, this,  this,  100, 8, -,     -,   DEAD",
                "42, 7, this,  this,  100, -, -,     -,   DEAD",
                "42, 7, other, this,  100, 7, -,     -,   UNKNOWN",
                "42, 7, other, this,  100, -, this,  101, ALIVE",
                "42, 7, other, this,  100, -, this,  100, DEAD",
                "42, 7, other, this,  100, -, other, 999, DEAD",
                "42, 7, this,  this,  100, 7, this,  50,  DEAD",
                "42, 7, this,  this,  100, 8, this,  500, ALIVE"
            })
    @DisplayName(
            "the judgement: a lease decides when there is one; else the pid and start time on the same boot; another boot cannot be judged")
    void judge(
            long pid,
            long start,
            String ownerBoot,
            String machineBoot,
            long uptime,
            Long startNow,
            String leaseBoot,
            Long leaseUntil,
            Owner.Verdict expected) {
        Owner owner = new Owner(pid, start, boot(ownerBoot));
        BackendClock there =
                new BackendClock(boot(machineBoot), uptime, startNow == null ? Map.of() : Map.of(pid, startNow));
        Optional<Owner.Lease> lease = Optional.ofNullable(leaseBoot).map(b -> new Owner.Lease(boot(b), leaseUntil));
        assertThat(owner.judge(lease, there)).isEqualTo(expected);
    }

    @Test
    @DisplayName("a zombie, ended and waiting to be reaped, counts as gone")
    void zombies() {
        String zombie = "4242 (java) Z 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 30 0 5993411 0 0";
        String running = zombie.replace(" Z ", " S ");
        assertThat(Owner.isZombie(zombie)).isTrue();
        assertThat(Owner.isZombie(running)).isFalse();
        assertThat(Owner.isZombie("4242 (a ) Z b) S 1"))
                .as("the state follows the last ')'")
                .isFalse();
    }

    @Test
    @DisplayName("refuses what no process has: pid 0, a negative start time, a boot id of another shape")
    void validation() {
        assertThatThrownBy(() -> new Owner(0, 7, BOOT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner pid '0'");
        assertThatThrownBy(() -> new Owner(42, -1, BOOT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner start time '-1'");
        assertThatThrownBy(() -> new Owner(42, 7, "../etc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner boot id '../etc'");
        assertThatThrownBy(() -> new Owner.Lease("x y", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String boot(String which) {
        return which.equals("this") ? BOOT : OTHER_BOOT;
    }
}
