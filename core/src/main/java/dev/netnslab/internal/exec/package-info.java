/**
 * Running commands: {@link dev.netnslab.internal.exec.CommandRunner}, the only code that starts processes,
 * with the local ({@link dev.netnslab.internal.exec.LocalRunner}, zt-exec) and SSH
 * ({@link dev.netnslab.internal.exec.SshRunner}, JSch) implementations. Commands are argv lists; over SSH
 * they are quoted by {@link dev.netnslab.internal.exec.ShellQuote} alone.
 */
package dev.netnslab.internal.exec;
