package dev.netnslab.archfixture.internal.exec;

/** Stands for the library's Kernel. */
public interface Kernel {}
