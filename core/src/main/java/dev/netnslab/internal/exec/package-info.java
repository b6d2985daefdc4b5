/**
 * What every backend shares: {@link dev.netnslab.internal.exec.Kernel}, the one interface through
 * which the engine reaches a kernel and asks what it can do; {@link dev.netnslab.internal.exec.CommandRunner}
 * and {@link dev.netnslab.internal.exec.Command}, how commands are carried there; and the shell
 * protocol ({@link dev.netnslab.internal.exec.ShellPool}, {@link dev.netnslab.internal.exec.RemoteShell}) that
 * the SSH and rootless backends run many commands through, one persistent shell each. Commands are
 * argv lists; wherever a shell carries them, they are quoted by {@link dev.netnslab.internal.exec.ShellQuote}
 * alone. Nothing here starts a process: the backends do.
 */
package dev.netnslab.internal.exec;
