package dev.netnslab.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.ExecResult;
import dev.netnslab.internal.backend.local.Machine;
import dev.netnslab.internal.settings.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What {@code doctor} says about labs without root, on machines a {@link Machine} describes, with the rootless check's answer given. */
@DisplayName("doctor on rootless labs")
class DoctorRootlessTest {

    private static final Settings DEFAULTS = Settings.from(key -> Optional.empty());
    private static final RootlessCheck WORKS = new RootlessCheck(Optional.empty(), Optional.empty());
    private static final RootlessCheck REFUSED = new RootlessCheck(
            Optional.of("unshare --user --mount --net --pid exited with 1: unshare failed: Operation not permitted"),
            Optional.empty());

    /** This machine, seen as uid 1000 whose sudo asks for a password. */
    private static Machine ordinaryUser() {
        Machine real = Machine.current();
        return real.withUid(1000)
                .withProbe((argv, timeout) -> argv.get(0).equals("sudo")
                        ? Optional.of(new ExecResult(argv, 1, "", "sudo: a password is required\n", Duration.ZERO))
                        : real.run(argv, timeout));
    }

    /** The doctor on {@code machine}, where the rootless check answers {@code rootless}. */
    private static List<Check> checks(Machine machine, RootlessCheck rootless) {
        return new Doctor(machine, DEFAULTS, settings -> rootless).checks();
    }

    private static Check find(List<Check> checks, String subject) {
        return checks.stream()
                .filter(c -> c.subject().equals(subject))
                .findFirst()
                .orElseThrow();
    }

    @Test
    @DisplayName("without root and sudo, working user namespaces make the machine ready")
    void rootlessIsEnough() {
        List<Check> checks = checks(ordinaryUser(), WORKS);
        assertThat(find(checks, "privileges").status()).isEqualTo(Check.Status.OK);
        assertThat(find(checks, "privileges").finding()).contains("sudo: a password is required", "labs run rootless");
        assertThat(find(checks, "rootless").status()).isEqualTo(Check.Status.OK);
        assertThat(find(checks, "ip").status()).as("ip -V needs no privileges").isEqualTo(Check.Status.OK);
        assertThat(checks)
                .extracting(Check::subject)
                .as("the machine's own namespaces are out of reach without root")
                .doesNotContain("namespaces");
    }

    @Test
    @DisplayName("without root, sudo and user namespaces, both fail and the fix names the kernel switches")
    void nothingWorks() {
        List<Check> checks = checks(ordinaryUser(), REFUSED);
        assertThat(find(checks, "privileges").status()).isEqualTo(Check.Status.FAIL);
        assertThat(find(checks, "privileges").fix()).contains("allow unprivileged user namespaces");
        Check rootless = find(checks, "rootless");
        assertThat(rootless.status()).isEqualTo(Check.Status.FAIL);
        assertThat(rootless.finding()).contains("Operation not permitted");
        assertThat(rootless.fix())
                .contains("kernel.unprivileged_userns_clone", "kernel.apparmor_restrict_unprivileged_userns");
    }

    @Test
    @DisplayName("a missing subordinate id range is a warning about captures only")
    void capturesOnly() {
        RootlessCheck noCaptures = new RootlessCheck(
                Optional.empty(), Optional.of("Packet captures on the rootless backend need ... uidmap"));
        List<Check> checks = checks(ordinaryUser(), noCaptures);
        assertThat(find(checks, "rootless").status()).isEqualTo(Check.Status.OK);
        assertThat(find(checks, "captures").status()).isEqualTo(Check.Status.WARN);
    }

    @Test
    @DisplayName("as root, rootless labs that cannot run are only a warning")
    void rootDoesNotNeedIt() {
        Check rootless = find(checks(Machine.current().withUid(0), REFUSED), "rootless");
        assertThat(rootless.status()).isEqualTo(Check.Status.WARN);
        assertThat(rootless.fix()).startsWith("only needed without root and sudo");
    }
}
