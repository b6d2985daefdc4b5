package dev.netnslab.internal.files;

import dev.netnslab.InvalidLabSpecException;
import dev.netnslab.internal.topology.DraftCall;
import dev.netnslab.internal.topology.Names;
import dev.netnslab.internal.topology.SpecDraft;
import dev.netnslab.internal.topology.SpecDraft.Endpoint;
import dev.netnslab.internal.topology.StartupScript;
import dev.netnslab.internal.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Kathara lab folder as a spec. Each device is a namespace with Kathara's defaults for a device,
 * set before any of its interfaces exists; each collision domain a veth pair (two members) or a
 * bridge in the lab's host side that behaves as Kathara's does, a hub; each {@code ethN} keeps its
 * name and MAC; {@code shared.startup}, {@code DEVICE.startup} and {@code DEVICE[exec]} run in the
 * device's namespace once the lab is built, in that order, as Kathara runs them.
 */
public final class KatharaLab {

    /** What Kathara sets when it creates a device's container, whatever the lab says (its DockerMachine). */
    private static final Map<String, String> DEFAULTS = Map.of(
            "net.ipv4.conf.all.rp_filter", "0",
            "net.ipv4.conf.default.rp_filter", "0",
            "net.ipv4.conf.lo.rp_filter", "0",
            "net.ipv4.ip_forward", "1",
            "net.ipv4.icmp_ratelimit", "0");

    private static final List<String> DEFAULT_ORDER = List.of(
            "net.ipv4.conf.all.rp_filter",
            "net.ipv4.conf.default.rp_filter",
            "net.ipv4.conf.lo.rp_filter",
            "net.ipv4.ip_forward",
            "net.ipv4.icmp_ratelimit");

    /** A sysctl of one interface, which exists only once the links do. */
    private static final Pattern INTERFACE_SYSCTL = Pattern.compile("net\\.ipv[46]\\.(conf|neigh)\\.eth\\d+\\..*");

    private static final Pattern SYSCTL_OPTION = Pattern.compile("(net\\.([\\w-]+\\.)+[\\w-]+)=([^=]*)");

    /** Device options that configure a container, not a namespace. */
    private static final Set<String> CONTAINER_OPTIONS = Set.of(
            "image",
            "mem",
            "cpus",
            "port",
            "bridged",
            "num_terms",
            "shell",
            "entrypoint",
            "args",
            "ulimit",
            "env",
            "volume",
            "privileged");

    private KatharaLab() {}

    /**
     * The spec of the lab in {@code directory}, its {@code lab.conf} and startup files read.
     *
     * @throws InvalidLabSpecException naming the file, the line and what was expected, for every malformed
     *                                 line, before anything is created
     * @throws UncheckedIOException    when a file cannot be read
     */
    public static SpecDraft read(Path directory) {
        Path confFile = directory.resolve("lab.conf");
        if (!Files.isRegularFile(confFile)) {
            throw new InvalidLabSpecException(
                    "Kathara lab folder",
                    directory.toString(),
                    Files.isDirectory(directory)
                            ? "it has no lab.conf; give the folder that holds the lab's lab.conf"
                            : "there is no such folder; give the folder that holds the lab's lab.conf");
        }
        FileProblems problems = new FileProblems(confFile);
        LabConf conf = LabConf.read(text(confFile), problems);
        SpecDraft draft = new SpecDraft();
        List<String> notes = new ArrayList<>();
        Map<String, List<String[]>> domains = new LinkedHashMap<>();
        for (LabConf.Device device : conf.devices.values()) {
            draft.add(new DraftCall.Namespace(device.name()));
            boolean ipv6 = false;
            Map<String, String> sysctls = new LinkedHashMap<>();
            DEFAULT_ORDER.forEach(key -> sysctls.put(key, DEFAULTS.get(key)));
            List<LabConf.Option> execs = new ArrayList<>();
            for (LabConf.Option option : device.options()) {
                switch (option.name()) {
                    case "ipv6" -> ipv6 = bool(option, problems);
                    case "sysctl" -> sysctl(option, sysctls, problems);
                    case "exec" -> execs.add(option);
                    default -> {
                        if (CONTAINER_OPTIONS.contains(option.name())) {
                            problems.ignored(device.name() + "[" + option.name() + "]");
                        } else {
                            problems.unknown(device.name() + "[" + option.name() + "] (line " + option.line() + ")");
                        }
                    }
                }
            }
            ipv6Defaults(ipv6).forEach(sysctls::putIfAbsent);
            sysctls.forEach((key, value) -> draft.add(new DraftCall.Sysctl(
                    device.name(), key, value, !INTERFACE_SYSCTL.matcher(key).matches())));
            for (LabConf.Interface iface : device.interfaces().values()) {
                domains.computeIfAbsent(iface.domain(), d -> new ArrayList<>())
                        .add(new String[] {device.name(), "eth" + iface.number()});
                if (iface.mac() != null) {
                    draft.add(new DraftCall.Mac(device.name(), "eth" + iface.number(), iface.mac()));
                }
            }
            startups(directory, device.name(), execs, draft, problems);
        }
        domains.forEach((domain, members) -> collisionDomain(domain, members, conf, draft));
        notes(directory, conf, notes);
        problems.throwIfAny();
        problems.log(
                "Kathara lab " + directory
                        + conf.metadata
                                .getOrDefault("LAB_DESCRIPTION", "")
                                .transform(d -> d.isEmpty() ? "" : " (" + d + ")"),
                notes);
        return draft;
    }

    /** Kathara's IPv6 defaults: on with forwarding and no router advertisements taken, or off altogether. */
    private static Map<String, String> ipv6Defaults(boolean on) {
        Map<String, String> sysctls = new LinkedHashMap<>();
        sysctls.put("net.ipv6.conf.all.disable_ipv6", on ? "0" : "1");
        sysctls.put("net.ipv6.conf.default.disable_ipv6", on ? "0" : "1");
        sysctls.put("net.ipv6.conf.all.forwarding", on ? "1" : "0");
        sysctls.put("net.ipv6.conf.default.forwarding", on ? "1" : "0");
        if (on) {
            sysctls.put("net.ipv6.conf.all.accept_ra", "0");
            sysctls.put("net.ipv6.conf.default.accept_ra", "0");
            sysctls.put("net.ipv6.icmp.ratelimit", "0");
        }
        return sysctls;
    }

    /**
     * Two members: a veth pair, their two interfaces. Otherwise a bridge in the host side that keeps no
     * MAC (ageing time 0) and forwards the link-local groups it may, as Kathara's network plugin makes
     * them: a hub, on which every member sees every frame.
     */
    private static void collisionDomain(String domain, List<String[]> members, LabConf conf, SpecDraft draft) {
        if (members.size() == 2 && !members.get(0)[0].equals(members.get(1)[0])) {
            draft.add(new DraftCall.Veth(
                    Endpoint.of(members.get(0)[0], members.get(0)[1]),
                    Endpoint.of(members.get(1)[0], members.get(1)[1])));
            return;
        }
        String bridge = bridgeName(domain);
        draft.add(new DraftCall.Bridge(Names.HOST, bridge, Duration.ZERO, 0xfff8));
        List<String> devices = new ArrayList<>(conf.devices.keySet());
        for (String[] member : members) {
            String peer = member[0] + "." + member[1];
            if (peer.length() > 15) {
                // Device names are lower case, so this form never meets one of theirs.
                peer = "K" + devices.indexOf(member[0]) + "." + member[1];
            }
            draft.add(new DraftCall.Port(Endpoint.of(member[0], member[1]), Endpoint.of(Names.HOST, bridge), peer));
        }
    }

    /** {@code cd-DOMAIN}, or when that exceeds 15 bytes a shortened name made unique by a hash of the domain. */
    static String bridgeName(String domain) {
        String name = "cd-" + domain;
        if (name.length() <= 15) {
            return name;
        }
        return "cd-" + domain.substring(0, 6) + "-" + String.format("%05x", domain.hashCode() & 0xfffff);
    }

    /** shared.startup, DEVICE.startup, then the device's exec options, each run by bash in its namespace. */
    private static void startups(
            Path directory, String device, List<LabConf.Option> execs, SpecDraft draft, FileProblems problems) {
        for (String name : List.of("shared.startup", device + ".startup")) {
            Path file = directory.resolve(name);
            if (Files.isRegularFile(file)) {
                String script = text(file);
                List<Topology.Requirement> requires = StartupLines.requirements(script, file, name, 1, problems);
                draft.add(new DraftCall.Startup(StartupScript.of(device, name, script, requires)));
            }
        }
        for (LabConf.Option exec : execs) {
            String origin = device + "[exec] (lab.conf line " + exec.line() + ")";
            List<Topology.Requirement> requires =
                    StartupLines.requirements(exec.value(), problems.file(), "lab.conf", exec.line(), problems);
            draft.add(new DraftCall.Startup(StartupScript.of(device, origin, exec.value(), requires)));
        }
    }

    private static boolean bool(LabConf.Option option, FileProblems problems) {
        String value = option.value().strip().toLowerCase(Locale.ROOT);
        if (Set.of("true", "yes", "y", "on", "1").contains(value)) {
            return true;
        }
        if (!Set.of("false", "no", "n", "off", "0").contains(value)) {
            problems.add(
                    option.line(),
                    option.name() + "=\"" + option.value() + "\"",
                    "expected true or false (Kathara also takes yes/no, on/off, 1/0)");
        }
        return false;
    }

    private static void sysctl(LabConf.Option option, Map<String, String> sysctls, FileProblems problems) {
        java.util.regex.Matcher matcher = SYSCTL_OPTION.matcher(option.value().strip());
        if (!matcher.matches()) {
            problems.add(
                    option.line(),
                    "sysctl=\"" + option.value() + "\"",
                    "expected one net.* sysctl as KEY=VALUE, such as net.ipv4.tcp_syncookies=1; sysctls outside"
                            + " net. belong to the whole machine");
            return;
        }
        sysctls.remove(matcher.group(1));
        sysctls.put(matcher.group(1), matcher.group(3).strip());
    }

    /** What Kathara would do with the folder's other files, and this lab does not. */
    private static void notes(Path directory, LabConf conf, List<String> notes) {
        List<String> folders = conf.devices.keySet().stream()
                .filter(device -> Files.isDirectory(directory.resolve(device)))
                .map(device -> device + "/")
                .toList();
        if (!folders.isEmpty()) {
            notes.add("device folders not copied (a namespace shares the machine's files): "
                    + String.join(", ", folders));
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<String> unused = files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".shutdown")
                            || name.equals("lab.dep")
                            || name.equals("lab.ext")
                            || (name.endsWith(".startup")
                                    && !name.equals("shared.startup")
                                    && !conf.devices.containsKey(name.substring(0, name.length() - 8))))
                    .sorted()
                    .toList();
            if (!unused.isEmpty()) {
                notes.add("files not used: " + String.join(", ", unused));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the Kathara lab folder " + directory, e);
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }
}
