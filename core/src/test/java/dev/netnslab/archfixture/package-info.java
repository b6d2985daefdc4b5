/**
 * A small package tree laid out as the library's, which breaks each rule of
 * {@link dev.netnslab.testing.ArchitectureRules} on purpose, next to classes that do what the rules
 * allow. {@code ArchitectureTest} checks the rules against it: each must fail, naming the offending
 * class and nothing that is allowed. Never run; only read by ArchUnit.
 */
package dev.netnslab.archfixture;
