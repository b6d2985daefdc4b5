package dev.netnslab.internal.files;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kathara {@code lab.conf}, line by line, as Kathara's own parser reads it: {@code device[N]="domain"}
 * or {@code "domain/mac"} connects interface {@code ethN} to a collision domain,
 * {@code device[option]="value"} sets a device option, {@code LAB_*=} lines describe the lab, and
 * {@code #} comments and empty lines are skipped. Every line that is none of these is reported with
 * its number, and so are the mistakes Kathara refuses: a reserved device name, a collision domain
 * name outside {@code \w+}, a malformed MAC, an interface number used twice or skipped.
 */
final class LabConf {

    /** Kathara's own line syntax: a device (1-30 of [a-z0-9_]), a bracketed argument, a value, maybe quoted. */
    private static final Pattern DEVICE_LINE =
            Pattern.compile("^(?<device>[a-z0-9_]{1,30})\\[(?<arg>\\w+)]=([\"']?)(?<value>[^\"']+)(\\3)(\\s+#.*)?$");

    private static final Pattern METADATA =
            Pattern.compile("^LAB_(NAME|DESCRIPTION|VERSION|AUTHOR|EMAIL|WEB)=(?<value>.*)$");
    private static final Pattern DOMAIN = Pattern.compile("\\w+");
    private static final Pattern MAC = Pattern.compile("([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}");

    static final String LINE_RULE = "expected DEVICE[N]=\"DOMAIN\" or DEVICE[N]=\"DOMAIN/MAC\" (interface ethN on a"
            + " collision domain), DEVICE[OPTION]=\"VALUE\" (a device option, such as pc1[ipv6]=\"true\"),"
            + " LAB_DESCRIPTION=\"...\" (LAB_NAME, LAB_VERSION, LAB_AUTHOR, LAB_EMAIL, LAB_WEB), a # comment or an"
            + " empty line; a device name is 1-30 of [a-z0-9_]";

    /** One interface: {@code ethN} of a device on a collision domain, with a MAC or {@code null}. */
    record Interface(int number, String domain, String mac, int line) {}

    /** One option line of a device, such as {@code pc1[image]="kathara/base"}. */
    record Option(String name, String value, int line) {}

    /** A device: its interfaces by number, its options in order. */
    record Device(String name, TreeMap<Integer, Interface> interfaces, List<Option> options) {}

    /** The devices by name in the order lab.conf first names them, and the {@code LAB_*} metadata. */
    final Map<String, Device> devices = new LinkedHashMap<>();

    final Map<String, String> metadata = new LinkedHashMap<>();

    private LabConf() {}

    /** Reads {@code text}, the lab.conf at {@code file}, reporting every malformed line to {@code problems}. */
    static LabConf read(String text, FileProblems problems) {
        LabConf conf = new LabConf();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            conf.line(i + 1, lines.get(i), problems);
        }
        conf.checkNumbering(problems);
        return conf;
    }

    private void line(int number, String line, FileProblems problems) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return;
        }
        Matcher metadataLine = METADATA.matcher(text);
        if (metadataLine.matches()) {
            metadata.put(
                    "LAB_" + metadataLine.group(1),
                    metadataLine
                            .group("value")
                            .replace("\"", "")
                            .replace("'", "")
                            .strip());
            return;
        }
        Matcher device = DEVICE_LINE.matcher(text);
        if (!device.matches()) {
            problems.add(number, text, LINE_RULE);
            return;
        }
        String name = device.group("device");
        String arg = device.group("arg");
        String value = device.group("value");
        if (name.equals("shared") || name.equals("_test")) {
            problems.add(
                    number,
                    text,
                    "'" + name + "' is a name Kathara reserves (shared.startup and the shared folder run on every"
                            + " device); rename the device");
            return;
        }
        Device entry = devices.computeIfAbsent(name, n -> new Device(n, new TreeMap<>(), new ArrayList<>()));
        if (!arg.chars().allMatch(Character::isDigit)) {
            entry.options().add(new Option(arg.toLowerCase(Locale.ROOT), value, number));
            return;
        }
        String[] parts = java.util.Arrays.stream(value.split("/"))
                .filter(part -> !part.isEmpty())
                .toArray(String[]::new);
        int eth = Integer.parseInt(arg);
        if (parts.length < 1 || parts.length > 2) {
            problems.add(
                    number, text, "an interface is DOMAIN or DOMAIN/MAC, such as \"A\" or \"A/00:00:00:00:00:01\"");
        } else if (!DOMAIN.matcher(parts[0]).matches()) {
            problems.add(
                    number,
                    text,
                    "a collision domain is named with letters, digits and _ only, and '" + parts[0] + "' has others");
        } else if (parts.length == 2 && !MAC.matcher(parts[1]).matches()) {
            problems.add(
                    number,
                    text,
                    "the MAC after the / is six hex pairs separated by colons, such as 00:00:00:00:00:01, and '"
                            + parts[1] + "' is not");
        } else if (eth > 999) {
            problems.add(number, text, "an interface number is 0-999 (the interface is eth" + eth + ")");
        } else if (entry.interfaces().containsKey(eth)) {
            problems.add(
                    number,
                    text,
                    "interface " + eth + " of " + name + " is set already on line "
                            + entry.interfaces().get(eth).line() + "; give each interface one line");
        } else if (entry.interfaces().values().stream().anyMatch(i -> i.domain().equals(parts[0]))) {
            problems.add(
                    number,
                    text,
                    name + " is connected to collision domain " + parts[0] + " already; Kathara gives a device one"
                            + " interface per collision domain");
        } else {
            entry.interfaces()
                    .put(
                            eth,
                            new Interface(
                                    eth,
                                    parts[0],
                                    parts.length == 2 ? parts[1].toLowerCase(Locale.ROOT) : null,
                                    number));
        }
    }

    /** Kathara numbers a device's interfaces from 0 without gaps: eth1 needs eth0. */
    private void checkNumbering(FileProblems problems) {
        for (Device device : devices.values()) {
            int expected = 0;
            for (Interface iface : device.interfaces().values()) {
                if (iface.number() != expected) {
                    problems.add(
                            iface.line(),
                            device.name() + "[" + iface.number() + "]=\"" + iface.domain() + "\"",
                            device.name() + " has no interface " + expected + ", and Kathara numbers a device's"
                                    + " interfaces from 0 without gaps; add " + device.name() + "[" + expected
                                    + "] or renumber");
                    break;
                }
                expected++;
            }
        }
    }
}
