package dev.netnslab.internal.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Machine: this machine's facts, and other machines described by changing one of them")
class MachineTest {

    @TempDir
    Path temp;

    @Test
    @DisplayName("this machine: Linux, this process' effective uid, and its kernel's settings")
    void current() {
        Machine machine = Machine.current();
        assertThat(machine.isLinux()).isTrue();
        assertThat(machine.run(List.of("id", "-u")))
                .hasValueSatisfying(id -> assertThat(id.stdout().strip()).isEqualTo(String.valueOf(machine.uid())));
        assertThat(machine.kernelRelease())
                .hasValueSatisfying(release -> assertThat(release).matches("[0-9]+\\.[0-9]+.*"));
        assertThat(machine.sysctl("net.ipv4.neigh.default.gc_thresh3"))
                .hasValueSatisfying(v -> assertThat(v).matches("[0-9]+"));
        assertThat(machine.sysctl("no.such.setting")).isEmpty();
        assertThat(machine.run(List.of("true")))
                .hasValueSatisfying(r -> assertThat(r.isSuccess()).isTrue());
        assertThat(machine.run(List.of("/nonexistent/program")))
                .as("a program that cannot start")
                .isEmpty();
    }

    @Test
    @DisplayName("programs are found on the machine's PATH only; a PATH without ping is a machine without ping")
    void which() throws IOException {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path ping = Files.writeString(bin.resolve("ping"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(ping, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(bin.resolve("tcpdump"), "not executable");

        Machine machine = Machine.current().withPath(bin.toString());
        assertThat(machine.which("ping")).contains(ping);
        assertThat(machine.which("tcpdump")).as("not executable").isEmpty();
        assertThat(machine.withPath(temp.toString()).which("ping")).isEmpty();
        assertThat(machine.which(ping.toString())).as("a path names itself").contains(ping);
    }

    @Test
    @DisplayName("privileged commands go through sudo -n unless the machine's user is root")
    void privileged() {
        List<List<String>> ran = new ArrayList<>();
        Machine.Probe recording = (argv, timeout) -> {
            ran.add(argv);
            return Optional.of(new ExecResult(argv, 0, "", "", Duration.ZERO));
        };
        Machine machine = Machine.current().withProbe(recording);

        machine.withUid(1000).runPrivileged(List.of("ip", "netns", "list"));
        machine.withUid(0).runPrivileged(List.of("ip", "netns", "list"));
        machine.withUid(1000).run(List.of("ip", "-V"));

        assertThat(ran)
                .containsExactly(
                        List.of("sudo", "-n", "ip", "netns", "list"),
                        List.of("ip", "netns", "list"),
                        List.of("ip", "-V"));
    }
}
