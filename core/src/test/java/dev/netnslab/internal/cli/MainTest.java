package dev.netnslab.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netnslab.Lab;
import dev.netnslab.LabSpec;
import dev.netnslab.internal.backend.local.Machine;
import dev.netnslab.testing.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the netnslab command: doctor, labs, sweep, vm")
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Machine machine, String... args) {
        return Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                machine);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * A PATH of one directory holding stand-ins that exec the real programs, except those left out.
     * Scripts rather than symbolic links, so that @TempDir's clean-up has nothing to warn about.
     */
    private static String pathWithout(Path dir, String... leftOut) throws IOException {
        for (String program : List.of("ip", "tc", "ping", "tcpdump", "iptables-save", "nft", "sudo")) {
            if (List.of(leftOut).contains(program)) {
                continue;
            }
            Machine real = Machine.current();
            if (real.which(program).isPresent()) {
                Path script = dir.resolve(program);
                Files.writeString(
                        script, "#!/bin/sh\nexec " + real.which(program).get() + " \"$@\"\n");
                script.toFile().setExecutable(true);
            }
        }
        return dir.toString();
    }

    private static Machine machineWithPath(String path) {
        return Machine.current().withPath(path);
    }

    @Nested
    @DisplayName("doctor")
    class DoctorCommand {

        @Tag("kernel")
        @Test
        @DisplayName("on this machine: every required check passes, and the throwaway namespace is gone")
        void healthy() throws Exception {
            assertThat(run(Machine.current(), "doctor")).as(out()).isZero();
            assertThat(out())
                    .contains(
                            "ok    kernel",
                            "ok    privileges",
                            "ok    ip",
                            "ok    namespaces",
                            "ok    ping",
                            "ok    backend",
                            "Ready: labs can be built here")
                    .doesNotContain("FAIL");
            // Other test runs (and their doctors) may create namespaces meanwhile; only this doctor's own matters.
            java.util.regex.Matcher created = java.util.regex.Pattern.compile(
                            "created and deleted the namespace (netnslab-doctor-\\S+)")
                    .matcher(out());
            assertThat(created.find()).as(out()).isTrue();
            assertThat(Kernel.namespaces()).doesNotContain(created.group(1));
        }

        @Tag("kernel")
        @Test
        @DisplayName("without ping: fails and says to install iputils-ping")
        void noPing(@TempDir Path bin) throws Exception {
            int code = run(machineWithPath(pathWithout(bin, "ping")), "doctor");
            assertThat(code).isEqualTo(1);
            assertThat(out())
                    .contains(
                            "FAIL  ping",
                            "not found on the PATH",
                            "fix: apt-get install -y iputils-ping",
                            "1 problem(s)");
        }

        @Tag("kernel")
        @Test
        @DisplayName("without tcpdump: only warns, naming the package")
        void noTcpdump(@TempDir Path bin) throws Exception {
            assertThat(run(machineWithPath(pathWithout(bin, "tcpdump")), "doctor"))
                    .isZero();
            assertThat(out()).contains("warn  tcpdump", "fix: apt-get install -y tcpdump");
        }

        @Test
        @DisplayName("without ip: fails and says to install iproute2")
        void noIp(@TempDir Path bin) throws Exception {
            assertThat(run(machineWithPath(pathWithout(bin, "ip")), "doctor")).isEqualTo(1);
            assertThat(out()).contains("FAIL  ip", "apt-get install -y iproute2");
        }

        @Test
        @DisplayName("not Linux: fails and points at a VM backend")
        void notLinux() {
            assertThat(run(Machine.current().withOsName("Mac OS X").withUid(501).withPath("/usr/bin"), "doctor"))
                    .isEqualTo(1);
            assertThat(out()).contains("FAIL  kernel", "this is Mac OS X", "multipass");
        }
    }

    @Tag("kernel")
    @Test
    @DisplayName("labs lists a running lab with its owner; sweep leaves a live owner's lab alone")
    void labsAndSweep() {
        try (Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null))) {
            assertThat(run(Machine.current(), "labs")).isZero();
            assertThat(out())
                    .contains(
                            lab.id(),
                            lab.host().systemName(),
                            lab.namespace("netns1").systemName(),
                            "owned by pid " + ProcessHandle.current().pid());

            assertThat(run(Machine.current(), "sweep")).isZero();
            assertThat(out()).doesNotContain("ip netns del " + lab.host().systemName());
            assertThat(lab.host().exec("true").isSuccess())
                    .as("the lab still exists")
                    .isTrue();
        }
    }

    @Tag("kernel")
    @Test
    @DisplayName("a kept lab has no owner: labs says so, and sweep lists it without removing it")
    void keptLabsAreLeftAlone() {
        Lab lab = Lab.start(LabSpec.singleNamespace("netns1", "10.200.1.1", null));
        try {
            lab.keep();
            assertThat(run(Machine.current(), "labs")).isZero();
            assertThat(out()).contains(lab.id(), "no live owner");
            assertThat(run(Machine.current(), "sweep")).isZero();
            assertThat(out()).contains("ip netns del " + lab.host().systemName());
            assertThat(lab.host().exec("true").isSuccess())
                    .as("the kept lab still exists")
                    .isTrue();
        } finally {
            lab.close();
        }
    }

    @Test
    @DisplayName("vm without multipass says how to install it")
    void vmWithoutMultipass(@TempDir Path bin) {
        assertThat(run(machineWithPath(bin.toString()), "vm", "up")).isEqualTo(1);
        assertThat(err()).contains("vm needs Multipass", "snap install multipass", "brew install --cask multipass");
    }

    @Test
    @DisplayName("usage errors exit 2 and show the usage")
    void usageErrors() {
        assertThat(run(Machine.current(), "frobnicate")).isEqualTo(2);
        assertThat(run(Machine.current(), "vm", "sideways")).isEqualTo(2);
        assertThat(run(Machine.current(), "vm", "up", "--colour", "red")).isEqualTo(2);
        assertThat(err())
                .contains(
                        "Unknown command 'frobnicate'",
                        "vm needs 'up' or 'destroy' but got 'sideways'",
                        "accepts --name NAME and --cloud-init FILE but got '--colour'",
                        "usage: netnslab <command>");
        assertThat(run(Machine.current())).isZero();
        assertThat(out()).contains("doctor", "labs", "sweep", "vm up");
    }
}
