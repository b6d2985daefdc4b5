/**
 * Running commands: {@link dev.netnslab.exec.CommandRunner}, the only code that starts processes,
 * with the local ({@link dev.netnslab.exec.LocalRunner}, zt-exec) and SSH
 * ({@link dev.netnslab.exec.SshRunner}, JSch) implementations. Commands are argv lists; over SSH
 * they are quoted by {@link dev.netnslab.exec.ShellQuote} alone.
 */
package dev.netnslab.exec;
