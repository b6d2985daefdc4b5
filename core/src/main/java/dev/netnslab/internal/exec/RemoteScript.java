package dev.netnslab.internal.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * The shell text a persistent remote {@code sh} is fed: a start-up part, then one snippet per
 * command. Pure: builds strings, runs nothing.
 *
 * <p>Each command runs as {@code ( exec ARGV ) <in >out 2>err &} in a per-shell temporary folder,
 * so its stdout and stderr stay apart and byte-exact, and nothing it prints can be mistaken for
 * the protocol. The shell then reports on its own stdout, in lines starting with a random tag:
 * <pre>
 * TAG a                 acknowledged: from here on the command may have started
 * TAG p PID             started, with this pid (to kill it on timeout)
 * TAG r RC OUT ERR      exited with RC; OUT bytes of stdout and ERR bytes of stderr follow
 * </pre>
 * The {@code exec} makes the argv run exactly as {@code execve} would: never a shell builtin,
 * function or alias, so {@code exit} or {@code cd} cannot touch the serving shell.
 */
public final class RemoteScript {

    /** Checks or stops a pid: {@code sh -c STOP sh alive|stop PID}. Zombies count as gone. */
    public static final String PROCESS_CONTROL = String.join(
            "\n",
            "alive() { s=$(cat /proc/\"$1\"/stat 2>/dev/null) || return 1; s=${s##*) }; case $s in Z*|X*) return 1;; esac; }",
            "case $1 in",
            "alive) alive \"$2\" ;;",
            "stop) kill -TERM \"$2\" 2>/dev/null || exit 0; i=0",
            "  while alive \"$2\"; do i=$((i+1)); [ $i -gt 20 ] && { kill -KILL \"$2\" 2>/dev/null; exit 0; }; sleep 0.1; done ;;",
            "esac");

    private final String tag;
    private final List<String> prefix;
    private int sequence;

    /**
     * @param tag    the marker of protocol lines; letters and digits only
     * @param prefix put before every argv, e.g. {@code sudo -n} for a non-root login
     */
    public RemoteScript(String tag, List<String> prefix) {
        if (!tag.matches("[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("tag must be letters and digits but was '" + tag + "'");
        }
        this.tag = tag;
        this.prefix = List.copyOf(prefix);
    }

    public String tag() {
        return tag;
    }

    public List<String> prefix() {
        return prefix;
    }

    /** Sets up the serving shell and makes it answer {@code TAG ready UID}. */
    public static String startup(String tag) {
        return startup(tag, "${TMPDIR:-/tmp}");
    }

    /**
     * The same, with the shell's working folder made under {@code tmpParent}, a shell word: a place
     * that vanishes with the shell's namespace keeps a killed shell from leaving its folder behind.
     */
    public static String startup(String tag, String tmpParent) {
        return String.join(
                "\n",
                // A non-login shell may lack the sbin folders, where ip lives on Debian and Ubuntu.
                "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\"; export PATH",
                // mktemp -d makes the folder 0700, which keeps the files in it private; the umask stays
                // as the login set it, since the commands inherit it.
                "D=$(mktemp -d \"" + tmpParent + "/netnslab.XXXXXXXX\") || exit 97",
                "trap 'rm -rf \"$D\"' EXIT",
                "trap 'exit 129' HUP TERM",
                "echo \"" + tag + " ready $(id -u)\"",
                "");
    }

    /** The argv as it will run: with the prefix. */
    public List<String> argv(Command command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(command.argv());
        return all;
    }

    /** Runs {@code command} to completion and reports pid, exit code and output sizes, then both outputs. */
    public String foreground(Command command) {
        // Fresh files per command, read back by the announced size: a child the command left
        // running may still hold them open and write on, and must not garble the protocol.
        String n = Integer.toString(++sequence);
        String out = "\"$D/o" + n + "\"";
        String err = "\"$D/e" + n + "\"";
        return "echo " + tag + " a\n"
                + stdinTo(command.stdin(), "\"$D/i\"")
                + "( exec " + ShellQuote.join(argv(command)) + " ) <"
                + (command.stdin() == null ? "/dev/null" : "\"$D/i\"")
                + " >" + out + " 2>" + err + " &\n"
                + "P=$!; echo \"" + tag + " p $P\"; wait \"$P\"; R=$?\n"
                + "set -- $(stat -c %s " + out + " " + err + "); echo \"" + tag + " r $R $1 $2\"\n"
                + "head -c \"$1\" " + out + "; head -c \"$2\" " + err + "\n"
                // Removing the files in batches saves a process per command.
                + (sequence % 64 == 0 ? "rm -f \"$D\"/o* \"$D\"/e*\n" : "");
    }

    /**
     * Starts {@code command} detached (its parent subshell exits at once, so it is nobody's job
     * and survives the serving shell) and reports its pid.
     */
    public String background(Command command) {
        String in = command.stdin() == null ? "/dev/null" : "\"$D/b" + (++sequence) + "\"";
        return "echo " + tag + " a\n"
                + stdinTo(command.stdin(), in)
                + "P=$( ( exec " + ShellQuote.join(argv(command)) + " ) <" + in + " >/dev/null 2>&1 & echo $! )\n"
                + "echo \"" + tag + " p $P\"\n";
    }

    /**
     * The prefix a login as {@code uid} needs: none for root, {@code sudo -n} otherwise, so that
     * commands run privileged but never wait for a password prompt.
     */
    public static List<String> prefixFor(int uid) {
        return uid == 0 ? List.of() : List.of("sudo", "-n");
    }

    /** The argv that checks ({@code alive}: exit 0 while it runs) or stops ({@code stop}) {@code pid}; no prefix. */
    public static List<String> processControl(String action, long pid) {
        return List.of("sh", "-c", PROCESS_CONTROL, "sh", action, Long.toString(pid));
    }

    /**
     * Writes {@code stdin} to {@code file} with the {@code printf} builtin, so its size is not bound
     * by the system's argument limit. NUL bytes cannot sit in a shell word; they are written by
     * {@code printf '\000'} between the parts.
     */
    private static String stdinTo(String stdin, String file) {
        if (stdin == null) {
            return "";
        }
        StringBuilder script = new StringBuilder("{ ");
        String[] parts = stdin.split("\0", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                script.append("printf '\\000'; ");
            }
            if (!parts[i].isEmpty()) {
                script.append("printf %s ").append(ShellQuote.quote(parts[i])).append("; ");
            }
        }
        return script.append(": ; } >").append(file).append('\n').toString();
    }
}
