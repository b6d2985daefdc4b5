package dev.netnslab.internal.cli;

import dev.netnslab.ExecResult;
import dev.netnslab.backend.Backend;
import dev.netnslab.internal.backend.Backends;
import dev.netnslab.internal.backend.local.Machine;
import dev.netnslab.internal.backend.rootless.UserNamespaceSupport;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code doctor}: checks what labs need on this machine and says what to fix. Kernel and
 * namespaces, privileges (root, passwordless sudo, or unprivileged user namespaces for rootless
 * labs), {@code ip} and {@code ping} are required; {@code tcpdump}, {@code iptables}, {@code nft},
 * the netem qdisc and rootless labs where root is available are optional and only warned about.
 */
final class Doctor {

    private final Machine machine;
    private final Settings settings;
    private final Function<Settings, RootlessCheck> rootlessCheck;

    Doctor(Machine machine, Settings settings) {
        this(machine, settings, RootlessCheck::run);
    }

    /** A doctor whose rootless check is {@code rootlessCheck}, for tests that play machines where it fails. */
    Doctor(Machine machine, Settings settings, Function<Settings, RootlessCheck> rootlessCheck) {
        this.machine = machine;
        this.settings = settings;
        this.rootlessCheck = rootlessCheck;
    }

    /** Prints the checks; returns 0 when nothing failed, 1 otherwise. */
    int run(PrintStream out) {
        out.println("netns-lab doctor");
        List<Check> checks = checks();
        checks.forEach(check -> out.println(check.render()));
        long failed =
                checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
        long warned =
                checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
        out.println();
        if (failed == 0) {
            out.println("Ready: labs can be built here"
                    + (warned == 0 ? "." : "; " + warned + " optional feature(s) will not work, see warn."));
            return 0;
        }
        out.println(failed + " problem(s): fix the FAIL lines above, then run doctor again.");
        return 1;
    }

    List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        checks.add(kernel());
        if (!machine.isLinux()) {
            checks.add(backend());
            return checks;
        }
        RootlessCheck rootless = rootlessCheck.apply(settings);
        Optional<ExecResult> sudo = machine.isRoot() ? Optional.empty() : machine.run(List.of("sudo", "-n", "true"));
        boolean privileged = machine.isRoot() || sudo.map(ExecResult::isSuccess).orElse(false);
        checks.add(privileges(sudo, rootless));
        Optional<Path> ip = machine.which("ip");
        checks.add(ip(ip));
        // Without root or sudo the machine's own namespaces are out of reach; the rootless check makes one instead.
        if (ip.isPresent() && privileged) {
            checks.addAll(namespaces(ip.get()));
        }
        checks.addAll(rootless(rootless, privileged));
        checks.add(tool("ping", true, "iputils-ping", "pings (canPing, cannotPing) run ping inside namespaces"));
        checks.add(tool("tcpdump", false, "tcpdump", "Namespace.capture runs it"));
        checks.add(tool("iptables-save", false, "iptables", "failure reports show iptables rules"));
        checks.add(tool("nft", false, "nftables", "failure reports show nftables rules"));
        checks.add(backend());
        checks.add(userFile());
        return checks;
    }

    private Check kernel() {
        if (!machine.isLinux()) {
            return Check.fail(
                    "kernel",
                    "this is " + machine.osName() + "; network namespaces need a Linux kernel",
                    "run the tests in a Linux VM: install multipass (brew install --cask multipass) and set "
                            + Setting.BACKEND + "=multipass, or use an ssh backend to a Linux host");
        }
        return Check.ok("kernel", "Linux " + machine.kernelRelease().orElse("(release unknown)"));
    }

    private Check privileges(Optional<ExecResult> sudo, RootlessCheck rootless) {
        if (machine.isRoot()) {
            return Check.ok("privileges", "root");
        }
        if (sudo.isPresent() && sudo.get().isSuccess()) {
            return Check.ok(
                    "privileges", "uid " + machine.uid() + " with passwordless sudo; commands run as sudo -n ...");
        }
        String noSudo = "uid " + machine.uid() + ", and 'sudo -n true' "
                + sudo.map(r -> "failed: " + r.stderr().strip()).orElse("could not run (sudo is not installed)");
        if (rootless.problem().isEmpty()) {
            return Check.ok("privileges", noSudo + "; labs run rootless, in an unprivileged user namespace");
        }
        return Check.fail(
                "privileges",
                noSudo + ", and rootless labs cannot run here either (see rootless)",
                "run the tests as root, allow passwordless sudo for this user "
                        + "(echo \"$USER ALL=(ALL) NOPASSWD: ALL\" > /etc/sudoers.d/netnslab), or allow unprivileged user namespaces");
    }

    /** Whether labs can run without root here; only a failure when nothing else can run them either. */
    private List<Check> rootless(RootlessCheck rootless, boolean privileged) {
        if (rootless.problem().isPresent()) {
            String finding = "labs without root are not possible here: "
                    + rootless.problem().get();
            String fix = "only needed without root and sudo: "
                    + UserNamespaceSupport.ofThisMachine().howToEnable();
            return List.of(privileged ? Check.warn("rootless", finding, fix) : Check.fail("rootless", finding, fix));
        }
        List<Check> checks = new ArrayList<>();
        checks.add(Check.ok(
                "rootless",
                "labs without root work here (" + Setting.BACKEND
                        + "=rootless): created and deleted a namespace inside an unprivileged user namespace"));
        rootless.captures().ifPresent(why -> checks.add(Check.warn("captures", why, "")));
        return checks;
    }

    private Check ip(Optional<Path> ip) {
        if (ip.isEmpty()) {
            return Check.fail("ip", "not found on the PATH", "apt-get install -y iproute2");
        }
        // Printing the version needs no privileges, so this check holds for rootless labs too.
        Optional<ExecResult> version = machine.run(List.of(ip.get().toString(), "-V"));
        if (version.isEmpty() || !version.get().isSuccess()) {
            return Check.fail(
                    "ip",
                    ip.get() + " -V does not run",
                    "reinstall iproute2 (apt-get install --reinstall -y iproute2)");
        }
        return Check.ok("ip", ip.get() + ": " + version.get().stdout().strip());
    }

    /** Creates and deletes a throwaway namespace with a unique name; inside it, tries the netem qdisc. */
    private List<Check> namespaces(Path ip) {
        String name = "netnslab-doctor-" + randomSuffix();
        Optional<ExecResult> add = machine.runPrivileged(List.of(ip.toString(), "netns", "add", name));
        if (add.isEmpty() || !add.get().isSuccess()) {
            return List.of(Check.fail(
                    "namespaces",
                    "could not create a network namespace: "
                            + add.map(r -> r.stderr().strip()).orElse("ip did not start"),
                    "run as root (in a container: --privileged or --cap-add SYS_ADMIN,NET_ADMIN)"));
        }
        List<Check> checks = new ArrayList<>();
        try {
            checks.add(netem(ip, name));
        } finally {
            Optional<ExecResult> del = machine.runPrivileged(List.of(ip.toString(), "netns", "del", name));
            if (del.isPresent() && del.get().isSuccess()) {
                checks.add(0, Check.ok("namespaces", "created and deleted the namespace " + name));
            } else {
                checks.add(
                        0,
                        Check.fail(
                                "namespaces",
                                "created " + name + " but could not delete it: "
                                        + del.map(r -> r.stderr().strip()).orElse("ip did not start"),
                                "ip netns del " + name));
            }
        }
        return checks;
    }

    private Check netem(Path ip, String namespace) {
        Optional<Path> tc = machine.which("tc");
        if (tc.isEmpty()) {
            return Check.warn(
                    "netem", "tc not found, so delay and loss could not be checked", "apt-get install -y iproute2");
        }
        Optional<ExecResult> add = machine.runPrivileged(List.of(
                ip.toString(),
                "netns",
                "exec",
                namespace,
                tc.get().toString(),
                "qdisc",
                "add",
                "dev",
                "lo",
                "root",
                "netem",
                "delay",
                "1ms"));
        if (add.isPresent() && add.get().isSuccess()) {
            return Check.ok("netem", "the kernel can delay and drop packets (tc qdisc ... netem)");
        }
        return Check.warn(
                "netem",
                "this kernel has no netem qdisc: labs cannot add delay or random loss with tc",
                "use a kernel with sch_netem (modprobe sch_netem), or the iptables statistic match for loss");
    }

    private Check tool(String program, boolean required, String debianPackage, String usedFor) {
        Optional<Path> found = machine.which(program);
        if (found.isPresent()) {
            return Check.ok(program, found.get().toString());
        }
        String finding = "not found on the PATH; " + usedFor;
        String fix = "apt-get install -y " + debianPackage;
        return required ? Check.fail(program, finding, fix) : Check.warn(program, finding + " (optional)", fix);
    }

    private Check backend() {
        String kind = settings.get(Setting.BACKEND);
        String origin = settings.origin(Setting.BACKEND);
        try (Backend backend = Backends.select(settings)) {
            return Check.ok("backend", Setting.BACKEND + "=" + kind + " (" + origin + ") -> " + backend);
        } catch (RuntimeException e) {
            return Check.fail(
                    "backend",
                    Setting.BACKEND + "=" + kind + " (" + origin + ") is not usable: " + e.getMessage(),
                    "fix what the message says, or pick another backend with " + Setting.BACKEND);
        }
    }

    private Check userFile() {
        Optional<Path> file = settings.userFile();
        if (file.isPresent() && file.get().toFile().isFile()) {
            return Check.ok("settings", "reading " + file.get());
        }
        return Check.ok(
                "settings",
                "no " + file.map(Path::toString).orElse("~/" + Settings.USER_FILE_NAME)
                        + " (optional: machine-wide netnslab.* keys go there)");
    }

    private static String randomSuffix() {
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            out.append(Character.forDigit(random.nextInt(36), 36));
        }
        return out.toString();
    }
}
