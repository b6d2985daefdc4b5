/**
 * Where the kernel is: {@link dev.netnslab.internal.backend.Backends#select} picks the local machine, a host
 * over SSH, or a Multipass VM, as {@code netnslab.backend} says.
 */
package dev.netnslab.backend;
