package dev.netnslab.internal.reaper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netnslab.BackgroundProcess;
import dev.netnslab.ExecResult;
import dev.netnslab.internal.backend.local.LocalRunner;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import dev.netnslab.testing.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labs on a backend on another machine carry a lease that their owner renews. "Another machine"
 * is this one with a different boot id: a runner that answers the boot-id read with a made-up id.
 */
@DisplayName("Leases on remote backends")
class LeaseTest {

    private static final String REMOTE_BOOT = "0badc0de-0000-4000-8000-000000000001";
    private static final Settings NO_SWEEP = Settings.from(
            key -> Optional.ofNullable(Map.of(Setting.SWEEP.key(), "false", Setting.WATCHDOG.key(), "false")
                    .get(key)));

    @TempDir
    Path temp;

    /**
     * A folder below the test's own: the store makes its folder's parent 0700 as well, and that
     * parent must never be the machine's /tmp.
     */
    private Path records;

    @BeforeEach
    void layOutRecordsFolder() throws IOException {
        records = Files.createDirectories(temp.resolve("netnslab/labs"));
    }

    @Test
    @DisplayName(
            "a remote lab's record carries a lease on the backend's clock, renewed while the lab lives and not after")
    void leasesAreWrittenAndRenewed() throws Exception {
        RemoteLookalike remote = new RemoteLookalike();
        ReaperSession session =
                ReaperSession.open(remote, NO_SWEEP, new RecordStore(remote.runner(), false, records.toString()));
        try {
            String id = Kernel.randomLabId();
            Path file = records.resolve(id + ".lab");
            Reaper.Claim claim = session.claim(remote, id, List.of("host-" + id));
            Owner.Lease first = claim.record().lease().orElseThrow();
            long uptime = BackendClock.read(remote.runner(), List.of()).uptimeSeconds();

            assertThat(first.bootId()).isEqualTo(REMOTE_BOOT);
            assertThat(first.untilUptimeSeconds()).isBetween(uptime + 55, uptime + ReaperSession.LEASE.toSeconds());
            assertThat(OwnershipRecord.parse(Files.readString(file))).isEqualTo(claim.record());

            // Leases count whole seconds of the backend's uptime: renew once the next second has begun.
            await("the backend's uptime to pass " + uptime + " s")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> BackendClock.read(remote.runner(), List.of()).uptimeSeconds() > uptime);
            session.renewAll(remote);
            OwnershipRecord renewed = OwnershipRecord.parse(Files.readString(file));
            assertThat(renewed.lease().orElseThrow().untilUptimeSeconds()).isGreaterThan(first.untilUptimeSeconds());
            assertThat(renewed.owner().judge(renewed.lease(), BackendClock.read(remote.runner(), List.of())))
                    .isEqualTo(Owner.Verdict.ALIVE);

            claim.release();
            session.renewAll(remote);
            assertThat(file)
                    .as("a released claim is never renewed back into existence")
                    .doesNotExist();
        } finally {
            session.close();
        }
    }

    @Test
    @DisplayName("a lease is judged on the backend's uptime, and a reboot of the backend ends it")
    void judgingLeases() {
        String ownersMachine = "0badc0de-0000-4000-8000-000000000003";
        Owner owner = new Owner(1, 1, ownersMachine);
        BackendClock clock = new BackendClock(REMOTE_BOOT, 10, Map.of());

        assertThat(owner.judge(Optional.of(new Owner.Lease(REMOTE_BOOT, 11)), clock))
                .isEqualTo(Owner.Verdict.ALIVE);
        assertThat(owner.judge(Optional.of(new Owner.Lease(REMOTE_BOOT, 10)), clock))
                .isEqualTo(Owner.Verdict.DEAD);
        assertThat(owner.judge(Optional.of(new Owner.Lease("0badc0de-0000-4000-8000-000000000002", 1_000_000)), clock))
                .as("a lease from an earlier boot")
                .isEqualTo(Owner.Verdict.DEAD);
        assertThat(owner.judge(Optional.empty(), clock))
                .as("no lease, and another machine's pid: cannot be judged")
                .isEqualTo(Owner.Verdict.UNKNOWN);
    }

    /**
     * This machine, claiming another boot id. Its commands only read /proc and write the test's own
     * records folder, so they run as this user: no root needed.
     */
    static final class RemoteLookalike implements dev.netnslab.internal.exec.Kernel {
        private final CommandRunner local = new LocalRunner();

        @Override
        public String name() {
            return "remote-lookalike";
        }

        @Override
        public CommandRunner runner() {
            return new CommandRunner() {
                @Override
                public ExecResult run(Command command) {
                    ExecResult result = local.run(command);
                    if (command.argv().size() > 1 && command.argv().get(1).equals("/proc/sys/kernel/random/boot_id")) {
                        String rest = result.stdout().substring(result.stdout().indexOf('\n') + 1);
                        return new ExecResult(
                                result.command(),
                                result.exitCode(),
                                REMOTE_BOOT + "\n" + rest,
                                result.stderr(),
                                result.duration());
                    }
                    return result;
                }

                @Override
                public BackgroundProcess start(Command command) {
                    return local.start(command);
                }

                @Override
                public String describe() {
                    return "remote lookalike";
                }
            };
        }
    }
}
