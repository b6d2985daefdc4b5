package dev.netnslab.internal.cli;

/**
 * One line of the doctor's verdict.
 *
 * @param status  how it went
 * @param subject what was checked, e.g. {@code ping}
 * @param finding what was found
 * @param fix     what to do about it, or an empty string
 */
record Check(Status status, String subject, String finding, String fix) {

    enum Status {
        OK("ok"),
        /** Optional: some features will not work. */
        WARN("warn"),
        /** Labs cannot work until this is fixed. */
        FAIL("FAIL");

        final String label;

        Status(String label) {
            this.label = label;
        }
    }

    static Check ok(String subject, String finding) {
        return new Check(Status.OK, subject, finding, "");
    }

    static Check warn(String subject, String finding, String fix) {
        return new Check(Status.WARN, subject, finding, fix);
    }

    static Check fail(String subject, String finding, String fix) {
        return new Check(Status.FAIL, subject, finding, fix);
    }

    String render() {
        StringBuilder out = new StringBuilder(String.format("  %-5s %-16s %s", status.label, subject, finding));
        if (!fix.isEmpty()) {
            out.append(String.format("%n        %-16s fix: %s", "", fix));
        }
        return out.toString();
    }
}
