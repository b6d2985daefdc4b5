package dev.netnslab.internal.backend.vm;

import dev.netnslab.ExecResult;
import dev.netnslab.NetnsLabException;
import dev.netnslab.backend.BackendUnavailableException;
import dev.netnslab.internal.exec.Command;
import dev.netnslab.internal.exec.CommandRunner;
import dev.netnslab.internal.iproute.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code multipass} command line, run as argv; reads its documented {@code --format json}. */
final class MultipassCli {

    /** One VM as {@code multipass info} describes it. */
    record Instance(String name, String state, List<String> ipv4) {}

    private final String executable;
    private final CommandRunner local;

    MultipassCli(String executable, CommandRunner local) {
        this.executable = executable;
        this.local = local;
    }

    /** The VM called {@code name}, or null when multipass says it does not exist. */
    Instance info(String name) {
        ExecResult result = tryRun(Duration.ofSeconds(60), "info", name, "--format", "json");
        if (!result.isSuccess()) {
            if (result.stderr().contains("does not exist")) {
                return null;
            }
            throw new BackendUnavailableException("'" + result.commandLine() + "' failed: "
                    + result.stderr().strip() + ". Is the Multipass daemon running?");
        }
        return parse(name, result.stdout());
    }

    /**
     * Reads {@code {"errors":[],"info":{"NAME":{"ipv4":["10.x.y.z"],"state":"Running",...}}}}.
     */
    static Instance parse(String name, String json) {
        try {
            Object info = ((Map<?, ?>) Json.parse(json)).get("info");
            Object vm = info instanceof Map ? ((Map<?, ?>) info).get(name) : null;
            if (!(vm instanceof Map)) {
                return null;
            }
            Map<?, ?> fields = (Map<?, ?>) vm;
            List<String> ipv4 = new ArrayList<>();
            if (fields.get("ipv4") instanceof List) {
                ((List<?>) fields.get("ipv4")).forEach(address -> ipv4.add(String.valueOf(address)));
            }
            return new Instance(name, String.valueOf(fields.get("state")), ipv4);
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new BackendUnavailableException("Could not read 'multipass info " + name + " --format json': "
                    + e.getMessage() + "; it printed: " + json.strip());
        }
    }

    /** Runs {@code multipass ARGS...}; a non-zero exit is an error that quotes multipass' own message. */
    ExecResult run(Duration timeout, String... args) {
        ExecResult result = tryRun(timeout, args);
        if (!result.isSuccess()) {
            throw new BackendUnavailableException("'" + result.commandLine() + "' failed with exit code "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
        return result;
    }

    ExecResult tryRun(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(executable);
        argv.addAll(List.of(args));
        try {
            return local.run(Command.of(timeout, argv));
        } catch (NetnsLabException e) {
            if (e instanceof dev.netnslab.CommandTimeoutException) {
                throw e;
            }
            throw new BackendUnavailableException("Could not run " + executable + ": " + e.getMessage()
                    + " Install Multipass, or set " + dev.netnslab.internal.settings.Setting.MULTIPASS_EXECUTABLE);
        }
    }
}
