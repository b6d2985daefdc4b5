/**
 * The backend SPI: {@link dev.netnslab.backend.Backend}, the interface through which every command
 * of a lab reaches a Linux kernel, and the exceptions a backend throws. netns-lab picks its own
 * backends by name ({@code netnslab.backend}: {@code auto}, {@code local}, {@code ssh},
 * {@code multipass}); implement {@code Backend} only to run labs somewhere those do not reach.
 */
package dev.netnslab.backend;
