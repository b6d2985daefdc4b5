package dev.netnslab.junit;

/**
 * Carries the state of a lab at the moment a test failed. It is attached to the test's own failure
 * as a suppressed exception, so the failure stays exactly what it was and the report prints below
 * its stack trace. It has no stack trace of its own: the text is the point.
 */
final class LabDiagnostics extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LabDiagnostics(String report) {
        super(report, null, false, false);
    }

    @Override
    public String toString() {
        // Printed as the heading of the suppressed block: skip the class name, keep the report.
        return "netns-lab diagnostics:\n" + getMessage();
    }
}
