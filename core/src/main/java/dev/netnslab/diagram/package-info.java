/**
 * Pictures of labs: {@link dev.netnslab.diagram.LabDiagram} renders a topology as Mermaid text or
 * as an SVG file. Pure, no I/O besides writing the file you ask for.
 */
package dev.netnslab.diagram;
