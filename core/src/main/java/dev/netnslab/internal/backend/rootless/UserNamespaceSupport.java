package dev.netnslab.internal.backend.rootless;

import dev.netnslab.internal.backend.local.Machine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel switches that decide whether an ordinary user may create user namespaces, and what to
 * say when they forbid it. Reading them is cheap and safe; whether namespaces really work is only
 * known by trying, which the rootless backend does when it starts.
 *
 * @param unprivilegedClone {@code kernel.unprivileged_userns_clone}: a Debian patch, 0 by default up to Debian 10
 * @param maxNamespaces     {@code user.max_user_namespaces}: 0 forbids them (the old RHEL 7 default)
 * @param apparmorRestrict  {@code kernel.apparmor_restrict_unprivileged_userns}: 1 on Ubuntu 24.04, where a
 *                          namespace can be created but gets no capabilities unless an AppArmor profile allows it
 */
public record UserNamespaceSupport(
        Optional<String> unprivilegedClone, Optional<String> maxNamespaces, Optional<String> apparmorRestrict) {

    static final String CLONE = "kernel.unprivileged_userns_clone";
    static final String MAX = "user.max_user_namespaces";
    static final String APPARMOR = "kernel.apparmor_restrict_unprivileged_userns";

    /** The switches of this machine; a switch the kernel does not have is empty. */
    public static UserNamespaceSupport ofThisMachine() {
        Machine machine = Machine.current();
        return new UserNamespaceSupport(machine.sysctl(CLONE), machine.sysctl(MAX), machine.sysctl(APPARMOR));
    }

    /** The switches that are set to forbid unprivileged user namespaces, each with its fix; empty when none is. */
    public List<String> blockers() {
        List<String> found = new ArrayList<>();
        if (unprivilegedClone.filter("0"::equals).isPresent()) {
            found.add(CLONE + " is 0 (older Debian kernels): sudo sysctl -w " + CLONE + "=1");
        }
        if (maxNamespaces.filter("0"::equals).isPresent()) {
            found.add(MAX + " is 0: sudo sysctl -w " + MAX + "=15000");
        }
        if (apparmorRestrict.filter("1"::equals).isPresent()) {
            found.add(APPARMOR + " is 1 (Ubuntu 24.04 and later): sudo sysctl -w " + APPARMOR + "=0, or an AppArmor "
                    + "profile with a 'userns,' rule for /usr/bin/unshare");
        }
        return found;
    }

    /**
     * How to turn unprivileged user namespaces on, with what this machine's switches say first. Ends
     * with a sentence, without a trailing newline.
     */
    public String howToEnable() {
        List<String> found = blockers();
        StringBuilder text = new StringBuilder();
        if (!found.isEmpty()) {
            text.append("This machine forbids them: ")
                    .append(String.join("; ", found))
                    .append(". ");
        }
        text.append("To allow them: on older Debian kernels set ")
                .append(CLONE)
                .append("=1; on Ubuntu 24.04 and later set ")
                .append(APPARMOR)
                .append("=0 (or allow /usr/bin/unshare with an AppArmor profile); where ")
                .append(MAX)
                .append(
                        " is 0, raise it (e.g. 15000). Use sysctl -w, and a file in /etc/sysctl.d/ to keep the setting. "
                                + "In a container, the seccomp profile must allow unshare (Docker: --security-opt seccomp=unconfined).");
        return text.toString();
    }
}
