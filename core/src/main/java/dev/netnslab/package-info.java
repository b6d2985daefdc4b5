/**
 * netns-lab's public face: {@link dev.netnslab.Lab} (a running lab), {@link dev.netnslab.LabSpec}
 * and {@link dev.netnslab.LabTopology} (what a lab contains), {@link dev.netnslab.Namespace} (run
 * commands in a namespace and read its state), {@link dev.netnslab.ExecResult}, and
 * {@link dev.netnslab.internal.settings.Settings}. The assertions are in {@link dev.netnslab.assertj}; the JUnit
 * extension, {@code @NetnsLab}, is in the {@code netnslab-junit5} artifact.
 *
 * <p>Data flows one way: spec, validate ({@code topology}), render ({@code iproute}), run on a
 * backend ({@code backend}, {@code exec}), handles, assertions.
 */
package dev.netnslab;
