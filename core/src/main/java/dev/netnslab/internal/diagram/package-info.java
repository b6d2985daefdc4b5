/**
 * Pictures of labs: {@link dev.netnslab.internal.diagram.LabDiagram} renders a topology as Mermaid text or
 * as an SVG file. Pure, no I/O besides writing the file you ask for.
 */
package dev.netnslab.internal.diagram;
