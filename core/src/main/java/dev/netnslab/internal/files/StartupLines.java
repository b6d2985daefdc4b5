package dev.netnslab.internal.files;

import dev.netnslab.internal.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the lines of a startup script (or an exec command) for the daemons they start. A namespace
 * runs the machine's programs, so a daemon a container image would have brought must be installed
 * on the machine: each one becomes a {@link Topology.Requirement} that the lab checks before it
 * builds anything. A line that asks the machine's service manager ({@code systemctl},
 * {@code service}) is refused, since the service would start outside the lab.
 */
final class StartupLines {

    /** Where one command of a line ends: a separator, or a pipe. */
    private static final Pattern COMMANDS = Pattern.compile("&&|\\|\\||;|\\||&");

    private static final Pattern ENV_ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");

    private static final Set<String> STARTS = Set.of("start", "restart", "reload", "force-reload");

    /** Daemons that labs start by their own name, with no init script in between. */
    private static final Set<String> DAEMONS = Set.of(
            "bird",
            "bird6",
            "zebra",
            "ospfd",
            "ospf6d",
            "bgpd",
            "ripd",
            "ripngd",
            "isisd",
            "staticd",
            "frrinit.sh",
            "named",
            "apache2",
            "apache2ctl",
            "httpd",
            "nginx",
            "lighttpd",
            "dnsmasq",
            "dhcpd",
            "radvd",
            "sshd",
            "vsftpd",
            "snmpd",
            "openvpn",
            "gobgpd",
            "exabgp");

    private StartupLines() {}

    /**
     * The daemons {@code script}'s lines start; a line that asks the service manager is reported to
     * {@code problems} as a line of {@code file}.
     *
     * @param name      the file's name, for messages
     * @param firstLine the number of the script's first line in {@code file} (1 for a script file)
     */
    static List<Topology.Requirement> requirements(
            String script, Path file, String name, int firstLine, FileProblems problems) {
        List<Topology.Requirement> found = new ArrayList<>();
        List<String> lines = script.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int number = firstLine + i;
            for (String command : COMMANDS.split(withoutComment(line))) {
                List<String> words = words(command);
                if (words.isEmpty()) {
                    continue;
                }
                String first = words.get(0);
                if (first.equals("systemctl") || first.equals("service")) {
                    String unit = first.equals("service") && words.size() > 1
                            ? words.get(1)
                            : words.size() > 2 ? words.get(2).replace(".service", "") : "the service";
                    problems.add(
                            file,
                            number,
                            line.strip(),
                            first + " asks this machine's service manager, which would start " + unit
                                    + " outside the lab, in the machine's own network; start the daemon in the line"
                                    + " itself, as /etc/init.d/" + unit + " start does");
                } else if (first.startsWith("/etc/init.d/") && words.size() > 1 && STARTS.contains(words.get(1))) {
                    found.add(new Topology.Requirement(
                            first.substring("/etc/init.d/".length()), name + " line " + number, line));
                } else if (DAEMONS.contains(first.substring(first.lastIndexOf('/') + 1))) {
                    found.add(new Topology.Requirement(first, name + " line " + number, line));
                }
            }
        }
        return found;
    }

    /** The line up to a {@code #} that starts a comment (at the start, or after a blank). */
    private static String withoutComment(String line) {
        String stripped = line.strip();
        if (stripped.startsWith("#")) {
            return "";
        }
        int comment = stripped.indexOf(" #");
        return comment < 0 ? stripped : stripped.substring(0, comment);
    }

    /** The words of one command, without leading variable assignments and wrappers that start another command. */
    private static List<String> words(String command) {
        List<String> words = new ArrayList<>(List.of(command.strip().split("\\s+")));
        words.removeIf(String::isEmpty);
        while (!words.isEmpty()
                && (ENV_ASSIGNMENT.matcher(words.get(0)).matches()
                        || Set.of("sudo", "nohup", "exec", "env", "(", "{", "then", "else", "do")
                                .contains(words.get(0)))) {
            words.remove(0);
        }
        return words;
    }
}
