package dev.netnslab.archfixture.internal.backend.ssh;

import dev.netnslab.archfixture.internal.exec.Kernel;

/** Stands for a concrete backend. */
public class SshBackend implements Kernel {}
