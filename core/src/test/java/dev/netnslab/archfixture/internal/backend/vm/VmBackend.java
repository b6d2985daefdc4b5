package dev.netnslab.archfixture.internal.backend.vm;

import dev.netnslab.archfixture.internal.backend.ssh.SshBackend;

/** Allowed: one backend built on another (a VM is reached over SSH). */
public final class VmBackend extends SshBackend {}
