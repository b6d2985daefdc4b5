package dev.netnslab.internal.cli;

import dev.netnslab.internal.backend.local.Machine;
import dev.netnslab.internal.settings.Setting;
import dev.netnslab.internal.settings.Settings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * netns-lab's command line: the Makefile of a hand-built lab, turned into commands.
 *
 * <pre>
 * java -jar netnslab-core-VERSION-cli.jar doctor      # what labs need here, and what to fix
 * java -jar netnslab-core-VERSION-cli.jar labs        # the labs on this machine
 * java -jar netnslab-core-VERSION-cli.jar sweep       # remove labs whose owner died
 * java -jar netnslab-core-VERSION-cli.jar vm up       # launch the kept Multipass VM (make up)
 * java -jar netnslab-core-VERSION-cli.jar vm destroy  # delete it (make destroy)
 * </pre>
 *
 * Or from a checkout: {@code ./mvnw -q -pl core exec:java -Dexec.args=doctor}. Exit code 0 means
 * success, 1 a problem the output describes, 2 a usage error.
 */
public final class Main {

    static final String USAGE = String.join(
            "\n",
            "usage: netnslab <command>",
            "  doctor                 check the kernel, privileges, ip, ping, tcpdump, iptables and the backend; say what to fix",
            "  labs                   list the labs on this machine (namespaces named NAME-nlXXXXXX)",
            "  sweep                  remove labs whose owning test run has died",
            "  vm up [--name NAME] [--cloud-init FILE]   launch the kept Multipass VM (default name "
                    + VmCommand.DEFAULT_NAME + ")",
            "  vm destroy [--name NAME]                  delete it",
            "  help                   this text");

    private Main() {}

    /** Runs the command in {@code args} and exits with its code. */
    public static void main(String[] args) {
        quietLogging();
        try {
            System.exit(run(args, System.out, System.err, Machine.current()));
        } catch (NoClassDefFoundError e) {
            System.err.println("netns-lab's dependencies are not on the class path (" + e.getMessage()
                    + " is missing): "
                    + "this is the library jar. Run the command-line jar, which holds them: "
                    + "java -jar netnslab-core-VERSION-cli.jar " + String.join(" ", args)
                    + ", or from a checkout: ./mvnw -q -pl core exec:java -Dexec.args=" + String.join(" ", args));
            System.exit(1);
        }
    }

    /**
     * This is our own process, so we may decide its logging: the commands' output is the report, and
     * the library's INFO lines (which backend was picked) would only repeat it. An explicit JUL
     * configuration wins.
     */
    private static void quietLogging() {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err, Machine machine) {
        List<String> argv = Arrays.asList(args);
        String command = argv.isEmpty() ? "help" : argv.get(0);
        switch (command) {
            case "doctor":
                return new Doctor(machine, Settings.fromSystem()).run(out);
            case "labs":
                return new LabsCommand(machine).labs(out, err);
            case "sweep":
                return new LabsCommand(machine).sweep(out, err);
            case "vm":
                return vm(argv.subList(1, argv.size()), out, err, machine);
            case "help":
            case "--help":
            case "-h":
                out.println(USAGE);
                return 0;
            default:
                err.println("Unknown command '" + command + "'.\n" + USAGE);
                return 2;
        }
    }

    private static int vm(List<String> args, PrintStream out, PrintStream err, Machine machine) {
        if (args.isEmpty() || !(args.get(0).equals("up") || args.get(0).equals("destroy"))) {
            err.println("vm needs 'up' or 'destroy' but got " + (args.isEmpty() ? "nothing" : "'" + args.get(0) + "'")
                    + ".\n" + USAGE);
            return 2;
        }
        String name = Settings.fromSystem().get(Setting.MULTIPASS_NAME);
        Path cloudInit = null;
        for (int i = 1; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size() || !(option.equals("--name") || option.equals("--cloud-init"))) {
                err.println("vm " + args.get(0) + " accepts --name NAME and --cloud-init FILE but got '" + option
                        + "'.\n" + USAGE);
                return 2;
            }
            String value = args.get(++i);
            if (option.equals("--name")) {
                name = value;
            } else {
                cloudInit = Path.of(value);
            }
        }
        VmCommand vm = new VmCommand(machine);
        return args.get(0).equals("up") ? vm.up(name, cloudInit, out, err) : vm.destroy(name, out, err);
    }
}
