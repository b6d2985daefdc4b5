/**
 * The command line ({@code doctor}, {@code labs}, {@code sweep}, {@code vm}); run
 * {@link dev.netnslab.internal.cli.Main}.
 */
package dev.netnslab.internal.cli;
