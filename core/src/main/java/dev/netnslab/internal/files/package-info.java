/**
 * Topology files read as lab specs: Kathara labs ({@code lab.conf}, {@code DEVICE.startup}) and
 * containerlab topologies ({@code *.clab.yml}). Pure: the files are read and translated into a
 * {@link dev.netnslab.internal.topology.SpecDraft}, every malformed line or node is reported with its
 * file and line before anything is created, and nothing here runs a command.
 */
package dev.netnslab.internal.files;
