package dev.netnslab.junit;

/**
 * Carries the state of a lab at the moment a test failed. It is attached to the test's own failure
 * as a suppressed exception, so the failure stays exactly what it was and the report prints below
 * its stack trace. It has no stack trace of its own: the text is the point.
 */
final class LabDiagnostics extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Which lab the report is about, so that one failure carries at most one report per lab. */
    private final String labId;

    LabDiagnostics(String labId, String report) {
        super(report, null, false, false);
        this.labId = labId;
    }

    String labId() {
        return labId;
    }

    @Override
    public String toString() {
        // Printed as the heading of the suppressed block: skip the class name, keep the report.
        return "netns-lab diagnostics:\n" + getMessage();
    }
}
