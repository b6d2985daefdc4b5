/**
 * Running commands: {@link dev.netnslab.internal.exec.CommandRunner}, the only code that starts processes,
 * with the local ({@link dev.netnslab.internal.exec.LocalRunner}, zt-exec), SSH
 * ({@link dev.netnslab.internal.exec.SshRunner}, JSch) and rootless
 * ({@link dev.netnslab.internal.exec.UserNamespaceRunner}, shells inside an unprivileged user namespace)
 * implementations. Commands are argv lists; wherever a shell carries them, they are quoted by
 * {@link dev.netnslab.internal.exec.ShellQuote} alone.
 */
package dev.netnslab.internal.exec;
