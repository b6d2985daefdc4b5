/**
 * The command line ({@code doctor}, {@code labs}, {@code sweep}, {@code vm}); run
 * {@link dev.netnslab.cli.Main}.
 */
package dev.netnslab.cli;
