/**
 * netns-lab's public face: {@link dev.netnslab.Lab} (a running lab), {@link dev.netnslab.LabSpec}
 * and {@link dev.netnslab.LabTopology} (what a lab contains), {@link dev.netnslab.Namespace} (run
 * commands in a namespace and read its state), {@link dev.netnslab.ExecResult}, the state records
 * and the exceptions. The assertions are in {@link dev.netnslab.assertj}, the backend SPI in
 * {@link dev.netnslab.backend}; the JUnit extension, {@code @NetnsLab}, is in the
 * {@code netnslab-junit5} artifact.
 *
 * <p>Data flows one way: spec, validate, render, run on a backend, handles, assertions. The engine
 * behind these types lives in {@code dev.netnslab.internal.engine}, which the module does not export;
 * {@code Lab}, {@code Namespace}, {@code Link}, {@code Partition} and {@code Capture} are thin handles on it.
 */
package dev.netnslab;
